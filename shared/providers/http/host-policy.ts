import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { HostPolicy } from "../../domain/credentials/ports";
import { CLEVERCLOUD_API_HOST, CLEVERCLOUD_BRIDGE_HOST } from "../../domain/providers/clevercloud";
import type { OutboundUrlKind } from "../../domain/providers/types";
import { isPublicAddress } from "./ssrf";

const OFFICIAL_API_HOSTS = [
  new URL(CLEVERCLOUD_API_HOST).hostname,
  new URL(CLEVERCLOUD_BRIDGE_HOST).hostname,
];

export type Resolver = (hostname: string) => Promise<string[]>;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The SSRF guard for hosts users type in (a Clever Cloud `host`, a proxy URL). Deployed, they must
 * be https and resolve only to public addresses; an API host must also be an official Clever
 * Cloud host or on the configured allowlist. Local mode allows loopback so the fakes work.
 * (Sockets re-check addresses at connect time too: see ssrf.ts.)
 */
export class OutboundHostPolicy implements HostPolicy {
  constructor(
    private readonly options: { allowPrivate: boolean; allowedHosts: string[]; resolve?: Resolver },
  ) {}

  async check(value: string, kind: OutboundUrlKind): Promise<string | undefined> {
    if (this.options.allowPrivate) return undefined;
    const url = new URL(value);
    if (url.protocol !== "https:") return "must use https://";
    const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const allowlisted = this.options.allowedHosts.includes(hostname);
    if (kind === "api-host" && !OFFICIAL_API_HOSTS.includes(hostname) && !allowlisted) {
      return `must be an official Clever Cloud host (${OFFICIAL_API_HOSTS.join(", ")}) or on the allowlist`;
    }
    let addresses: string[];
    if (isIP(hostname)) addresses = [hostname];
    else {
      try {
        addresses = await (this.options.resolve ?? systemResolver)(hostname);
      } catch {
        return `${hostname} cannot be resolved`;
      }
    }
    const refused = addresses.find((address) => !isPublicAddress(address));
    if (refused) return `${hostname} resolves to ${refused}, which is not a public address`;
    return undefined;
  }
}
