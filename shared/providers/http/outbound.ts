import { type Agent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { HttpsProxyAgent } from "https-proxy-agent";
import type { AccountRateLimiter } from "./rate-limit";
import { BlockedAddress, publicOnlyLookup } from "./ssrf";

export interface OutboundRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  attempts: number;
}

/** The network could not be used: refused, timed out, reset, DNS, or a blocked address. */
export class Unreachable extends Error {
  constructor(
    readonly reason: string,
    readonly url: string,
  ) {
    super(`${new URL(url).host}: ${reason}`);
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt, on 429, 500 and 503 only. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitterMs: number;
}

/** OUTSCALE's advice: 3 retries, 2^n s plus up to 3 s of jitter, capped at 30 s. */
export const PROVIDER_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitterMs: 3000,
};

const RETRYABLE = new Set([429, 500, 503]);
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface OutboundOptions {
  timeoutMs: number;
  retry: RetryPolicy;
  limiter: AccountRateLimiter;
  /** `https://user:password@proxy:port`: every request goes through it. */
  proxyUrl?: string;
  /** Deployed mode: refuse to connect to non-public addresses (checked at DNS lookup time). */
  publicAddressesOnly: boolean;
  /** Builds the headers for one attempt (signatures carry a date or a nonce: sign every attempt). */
  sign?: (request: OutboundRequest) => Promise<Record<string, string>> | Record<string, string>;
  sleep?: (ms: number) => Promise<void>;
}

/** One agent per proxy URL and address policy, so connections are reused. */
const agents = new Map<string, Agent>();

export function outboundAgent(proxyUrl: string | undefined, publicAddressesOnly: boolean): Agent | undefined {
  if (!proxyUrl && !publicAddressesOnly) return undefined;
  const key = `${proxyUrl ?? "direct"}|${publicAddressesOnly}`;
  let agent = agents.get(key);
  if (!agent) {
    const lookup = publicAddressesOnly ? { lookup: publicOnlyLookup } : {};
    agent = proxyUrl
      ? new HttpsProxyAgent(proxyUrl, { keepAlive: true, ...lookup })
      : new HttpsAgent({ keepAlive: true, ...lookup });
    agents.set(key, agent);
  }
  return agent;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof BlockedAddress) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  // The only abort signal is the per-attempt timeout.
  const name = (error as Error).name;
  if (name === "TimeoutError" || name === "AbortError" || code === "ETIMEDOUT")
    return `no answer within ${timeoutMs} ms`;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not found";
  if (code === "ECONNRESET") return "connection reset";
  return (error as Error).message || "network error";
}

function attemptOnce(request: OutboundRequest, headers: Record<string, string>, options: OutboundOptions) {
  const url = new URL(request.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const agent =
    url.protocol === "https:" || options.proxyUrl
      ? outboundAgent(options.proxyUrl, options.publicAddressesOnly)
      : undefined;
  return new Promise<Omit<OutboundResponse, "attempts">>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: request.method,
        headers: {
          ...headers,
          ...(request.body ? { "content-length": String(Buffer.byteLength(request.body)) } : {}),
        },
        agent,
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(agent || !options.publicAddressesOnly ? {} : { lookup: publicOnlyLookup }),
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) outgoing.destroy(new Error("answer larger than 10 MB"));
          else chunks.push(chunk);
        });
        incoming.on("end", () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(incoming.headers).map(([name, value]) => [
                name,
                Array.isArray(value) ? value.join(",") : String(value),
              ]),
            ),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(request.body);
  });
}

/**
 * Sends one provider request with the outbound discipline: paced per account, a timeout on every
 * attempt, retries with exponential backoff and jitter on 429/500/503 only. A 401 or 403 is never
 * retried: OUTSCALE locks a key after repeated bad signatures.
 */
export async function sendOutbound(
  request: OutboundRequest,
  options: OutboundOptions,
): Promise<OutboundResponse> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    const release = await options.limiter.acquire();
    let response: Omit<OutboundResponse, "attempts">;
    try {
      const headers = { ...request.headers, ...(await options.sign?.(request)) };
      response = await attemptOnce(request, headers, options);
    } catch (error) {
      throw new Unreachable(describeNetworkError(error, options.timeoutMs), request.url);
    } finally {
      release();
    }
    if (response.status === 407) {
      throw new Unreachable("the proxy refused the credentials of the proxy URL (HTTP 407)", request.url);
    }
    if (!RETRYABLE.has(response.status) || attempt > options.retry.maxRetries) {
      return { ...response, attempts: attempt };
    }
    const retryAfterSeconds = Number(response.headers["retry-after"]);
    const backoff = Math.min(
      options.retry.maxDelayMs,
      options.retry.baseDelayMs * 2 ** (attempt - 1) + Math.random() * options.retry.jitterMs,
    );
    await sleep(
      Number.isFinite(retryAfterSeconds)
        ? Math.min(options.retry.maxDelayMs, retryAfterSeconds * 1000)
        : backoff,
    );
  }
}
