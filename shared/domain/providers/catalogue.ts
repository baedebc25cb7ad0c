import type { z } from "zod";
import { clevercloudProvider } from "./clevercloud";
import { outscaleBillingProvider, outscaleProvider } from "./outscale";
import type { Mode, ProviderCapabilities, ProviderId } from "./types";

export const PROVIDERS = {
  clevercloud: clevercloudProvider,
  outscale: outscaleProvider,
  "outscale-billing": outscaleBillingProvider,
} as const;

export type ProviderCatalogue = typeof PROVIDERS;

/** A provider's settings as its schema outputs them (secrets included): what jobs call providers with. */
export type SettingsOf<Id extends ProviderId> = z.output<ProviderCatalogue[Id]["settingsSchema"]>;

/** A credential's full settings with its provider, so a `switch` on `provider` types the settings. */
export type ProviderSettings = { [Id in ProviderId]: { provider: Id; settings: SettingsOf<Id> } }[ProviderId];

export function providerDefinition(id: ProviderId): ProviderCatalogue[ProviderId] {
  return PROVIDERS[id];
}

const MODE_NEEDS: Record<Mode, (capabilities: ProviderCapabilities) => boolean> = {
  finops: (capabilities) => capabilities.importer !== null,
  inventory: (capabilities) => capabilities.collector,
};

/** The modes a provider's credentials may be in: finops needs an importer, inventory a collector. */
export function allowedModes(id: ProviderId): Mode[] {
  const { capabilities } = PROVIDERS[id];
  return (Object.keys(MODE_NEEDS) as Mode[]).filter((mode) => MODE_NEEDS[mode](capabilities));
}

export function supportsMode(id: ProviderId, mode: Mode): boolean {
  return MODE_NEEDS[mode](PROVIDERS[id].capabilities);
}
