import type { SignatureMethod } from "../../domain/providers/clevercloud";
import type { ProviderEnvironment } from "../environment";
import { sendOutbound } from "../http/outbound";
import { limiterFor } from "../http/rate-limit";
import { oauthHeader, oauthSigner } from "./oauth";

export type CleverCloudAuth =
  | {
      authType: "oauth1";
      consumerKey: string;
      consumerSecret: string;
      token: string;
      tokenSecret: string;
      signatureMethod: SignatureMethod;
      host: string;
    }
  | { authType: "apiToken"; apiToken: string; host: string };

/** Clever Cloud's error bodies: v2 `{ id, message, type }`, v4 `{ code, error, context }`. */
export class CleverCloudApiError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }

  get throttled(): boolean {
    return this.httpStatus === 429 || this.httpStatus >= 500;
  }
}

function explain(status: number, body: string): CleverCloudApiError {
  let providerMessage: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const candidate = parsed.message ?? parsed.error;
    if (typeof candidate === "string") providerMessage = candidate.slice(0, 300);
  } catch {
    // Not JSON: keep the status only.
  }
  const meaning =
    status === 401
      ? "Clever Cloud refused the credentials (wrong, expired or revoked)"
      : status === 403
        ? "the credentials are valid but lack the rights for this call"
        : `Clever Cloud answered HTTP ${status}`;
  return new CleverCloudApiError(status, providerMessage ? `${meaning}: ${providerMessage}` : meaning);
}

/** GETs on Clever Cloud's API, signed with OAuth 1 or sent with a Bearer API token. */
export class CleverCloudClient {
  constructor(
    private readonly auth: CleverCloudAuth,
    private readonly environment: ProviderEnvironment,
  ) {}

  async get<T>(path: string): Promise<T> {
    const url = `${this.auth.host.replace(/\/$/, "")}${path}`;
    const auth = this.auth;
    const accountKey = auth.authType === "oauth1" ? auth.token : auth.apiToken.slice(-8);
    const response = await sendOutbound(
      { method: "GET", url, headers: { accept: "application/json" } },
      {
        timeoutMs: this.environment.timeoutMs,
        retry: this.environment.retry,
        limiter: limiterFor(`clevercloud:${accountKey}`),
        publicAddressesOnly: this.environment.publicAddressesOnly,
        sign: () => ({
          authorization:
            auth.authType === "oauth1"
              ? oauthHeader(
                  oauthSigner({ key: auth.consumerKey, secret: auth.consumerSecret }, auth.signatureMethod),
                  { method: "GET", url },
                  { key: auth.token, secret: auth.tokenSecret },
                )
              : `Bearer ${auth.apiToken}`,
        }),
      },
    );
    if (response.status >= 400) throw explain(response.status, response.body);
    return JSON.parse(response.body) as T;
  }
}
