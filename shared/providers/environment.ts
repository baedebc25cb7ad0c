import type { RetryPolicy } from "./http/outbound";

/** Where the providers are and how to call them; from the run-time config, one per process. */
export interface ProviderEnvironment {
  /** `https://api.{region}.outscale.com/api/v1` */
  outscaleApiUrlTemplate: string;
  /** `https://oos.{region}.outscale.com` */
  outscaleOosUrlTemplate: string;
  /** Clever Cloud's API, for the OAuth connect flow (credentials carry their own `host`). */
  cleverCloudApiUrl: string;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Deployed mode: user-supplied hosts and proxies must resolve to public addresses. */
  publicAddressesOnly: boolean;
}

export function regionUrl(template: string, region: string): string {
  return template.replace("{region}", region).replace(/\/$/, "");
}
