import type { z } from "zod";

export const PROVIDER_IDS = ["clevercloud", "outscale", "outscale-billing"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const MODES = ["inventory", "finops"] as const;
export type Mode = (typeof MODES)[number];

/** How a URL field is used, for the SSRF guard: a provider API host, or a proxy. */
export type OutboundUrlKind = "api-host" | "proxy";

/**
 * What the service can do with a provider's credentials. Stated once per provider: the modes a
 * credential may take, the use cases' checks and the schedules' filters all derive from it.
 */
export interface ProviderCapabilities {
  /** Where FinOps imports read costs: billing buckets, OUTSCALE's consumption API, or none yet. */
  importer: "buckets" | "consumption-api" | null;
  /** Whether an inventory collector lists the account's resources. */
  collector: boolean;
}

/**
 * What the vault needs to know about one provider's settings. Settings are split on write:
 * secrets and identifiers are sealed (encrypted) together, identifiers are shown masked, and
 * URL fields that may carry a password are shown without it.
 */
export interface ProviderDefinition<Id extends ProviderId = ProviderId, Settings = unknown> {
  id: Id;
  title: string;
  /** Full settings as a client sends them on create, secrets included. */
  settingsSchema: z.ZodType<Settings>;
  /** Fields whose values are secret: sealed, never shown, listed by name only. */
  secretFields: readonly string[];
  /** Fields that identify a key (access key, token): sealed, shown masked to their last 4 characters. */
  identifierFields: readonly string[];
  /** URL fields whose password part is secret (a proxy): sealed, shown without the password. */
  passwordUrlFields: readonly string[];
  /** Fields holding a URL the service will call: checked by the SSRF guard. */
  outboundUrlFields: Readonly<Record<string, OutboundUrlKind>>;
  capabilities: ProviderCapabilities;
  /** The modes a new credential gets when it names none (a subset of the allowed ones). */
  defaultModes: readonly Mode[];
}
