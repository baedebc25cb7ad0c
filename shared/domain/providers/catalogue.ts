import { clevercloudProvider } from "./clevercloud";
import { outscaleBillingProvider, outscaleProvider } from "./outscale";
import type { ProviderDefinition, ProviderId } from "./types";

export const PROVIDERS: Record<ProviderId, ProviderDefinition> = {
  clevercloud: clevercloudProvider,
  outscale: outscaleProvider,
  "outscale-billing": outscaleBillingProvider,
};

export function providerDefinition(id: ProviderId): ProviderDefinition {
  return PROVIDERS[id];
}
