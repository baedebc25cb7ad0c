import type { FieldProblem } from "../errors";
import type { ProviderDefinition } from "../providers/types";
import type { HostPolicy } from "./ports";

export type Settings = Record<string, unknown>;

export interface SplitSettings {
  publicSettings: Settings;
  /** Secrets, identifiers and password-bearing URLs, stored only encrypted. */
  sealedSettings: Settings;
  /** Names of the secrets stored (`proxy.password` for a URL's password). */
  secretFields: string[];
}

/** Shows the last 4 characters of a long identifier, nothing of a short one. */
export function maskIdentifier(value: string): string {
  return value.length >= 12 ? `****${value.slice(-4)}` : "****";
}

export function urlWithoutPassword(value: string): string {
  const url = new URL(value);
  url.password = "";
  const shown = url.toString();
  return value.endsWith("/") ? shown : shown.replace(/\/$/, "");
}

function urlHasPassword(value: string): boolean {
  return new URL(value).password !== "";
}

export function splitSettings(provider: ProviderDefinition, settings: Settings): SplitSettings {
  const split: SplitSettings = { publicSettings: {}, sealedSettings: {}, secretFields: [] };
  for (const [field, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (provider.secretFields.includes(field)) {
      split.sealedSettings[field] = value;
      split.secretFields.push(field);
    } else if (provider.identifierFields.includes(field) && typeof value === "string") {
      split.sealedSettings[field] = value;
      split.publicSettings[field] = maskIdentifier(value);
    } else if (provider.passwordUrlFields.includes(field) && typeof value === "string") {
      split.sealedSettings[field] = value;
      split.publicSettings[field] = urlWithoutPassword(value);
      if (urlHasPassword(value)) split.secretFields.push(`${field}.password`);
    } else {
      split.publicSettings[field] = value;
    }
  }
  return split;
}

/** The full settings again, from what is shown and what was sealed. */
export function joinSettings(publicSettings: Settings, sealedSettings: Settings): Settings {
  return { ...publicSettings, ...sealedSettings };
}

/**
 * Applies a settings patch: a field set to null is removed, an omitted one is kept (so a secret
 * not sent is kept). Switching `authType` replaces the settings whole, as the two shapes share little.
 */
export function mergeSettings(current: Settings, patch: Settings): Settings {
  if ("authType" in patch && patch.authType !== current.authType) return { ...patch };
  const merged: Settings = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  return merged;
}

/** Field names whose values differ between two full settings objects. */
export function changedSettingFields(before: Settings, after: Settings): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields].filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field])).sort();
}

/** Whether a change touches sealed material (a secret, an identifier or a proxy password). */
export function touchesSealedFields(provider: ProviderDefinition, fields: string[]): boolean {
  const sealed = [...provider.secretFields, ...provider.identifierFields, ...provider.passwordUrlFields];
  return fields.some((field) => sealed.includes(field));
}

/** The SSRF guard's verdict on every URL field the service would call, by field. */
export async function outboundUrlProblems(
  provider: ProviderDefinition,
  settings: object,
  hostPolicy: HostPolicy,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [field, kind] of Object.entries(provider.outboundUrlFields)) {
    const value = (settings as Settings)[field];
    if (typeof value !== "string") continue;
    const problem = await hostPolicy.check(value, kind);
    if (problem) problems.push({ path: `settings.${field}`, message: problem });
  }
  return problems;
}
