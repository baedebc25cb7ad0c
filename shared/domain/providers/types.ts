import type { z } from "zod";
import type { OutboundUrlKind } from "../credentials/ports";

export const PROVIDER_IDS = ["clevercloud", "outscale", "outscale-billing"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const MODES = ["inventory", "finops"] as const;
export type Mode = (typeof MODES)[number];

/**
 * What the vault needs to know about one provider's settings. Settings are split on write:
 * secrets and identifiers are sealed (encrypted) together, identifiers are shown masked, and
 * URL fields that may carry a password are shown without it.
 */
export interface ProviderDefinition {
  id: ProviderId;
  title: string;
  /** Full settings as a client sends them on create, secrets included. */
  settingsSchema: z.ZodType<Record<string, unknown>>;
  /** Fields whose values are secret: sealed, never shown, listed by name only. */
  secretFields: readonly string[];
  /** Fields that identify a key (access key, token): sealed, shown masked to their last 4 characters. */
  identifierFields: readonly string[];
  /** URL fields whose password part is secret (a proxy): sealed, shown without the password. */
  passwordUrlFields: readonly string[];
  /** Fields holding a URL the service will call: checked by the SSRF guard. */
  outboundUrlFields: Readonly<Record<string, OutboundUrlKind>>;
  allowedModes: readonly Mode[];
  defaultModes: readonly Mode[];
}
