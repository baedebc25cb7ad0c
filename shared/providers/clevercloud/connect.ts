import type { OAuthDance } from "../../domain/credentials/connect";
import { ProviderRefused, ProviderUnreachable } from "../../domain/errors";
import type { SignatureMethod } from "../../domain/providers/clevercloud";
import type { ProviderEnvironment } from "../environment";
import { sendOutbound, Unreachable } from "../http/outbound";
import { limiterFor } from "../http/rate-limit";
import { oauthHeader, oauthSigner } from "./oauth";

/** The OAuth 1.0a dance against Clever Cloud's `/v2/oauth/*` endpoints (form-encoded replies). */
export class CleverCloudOAuthDance implements OAuthDance {
  readonly host: string;

  constructor(private readonly environment: ProviderEnvironment) {
    this.host = environment.cleverCloudApiUrl.replace(/\/$/, "");
  }

  private async post(
    path: string,
    form: Record<string, string>,
    consumer: { key: string; secret: string },
    method: SignatureMethod,
    token?: { key: string; secret: string },
  ): Promise<URLSearchParams> {
    const url = `${this.host}${path}`;
    // oauth-1.0a moves oauth_* parameters (oauth_callback, oauth_verifier) into the Authorization
    // header; sending them in the body too would put them twice in the provider's base string.
    const body = new URLSearchParams(
      Object.entries(form).filter(([name]) => !name.startsWith("oauth_")),
    ).toString();
    let response: Awaited<ReturnType<typeof sendOutbound>>;
    try {
      response = await sendOutbound(
        { method: "POST", url, headers: { "content-type": "application/x-www-form-urlencoded" }, body },
        {
          timeoutMs: this.environment.timeoutMs,
          retry: this.environment.retry,
          limiter: limiterFor(`clevercloud-connect:${consumer.key}`),
          publicAddressesOnly: this.environment.publicAddressesOnly,
          sign: () => ({
            authorization: oauthHeader(oauthSigner(consumer, method), { method: "POST", url, form }, token),
          }),
        },
      );
    } catch (error) {
      if (error instanceof Unreachable)
        throw new ProviderUnreachable(`Clever Cloud could not be reached: ${error.reason}`);
      throw error;
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ProviderUnreachable(`Clever Cloud answered HTTP ${response.status}; try again later`);
    }
    if (response.status >= 400) {
      throw new ProviderRefused(
        path.endsWith("request_token")
          ? "Clever Cloud refused the consumer key or secret"
          : "Clever Cloud refused to exchange the verifier (expired, reused or not approved)",
      );
    }
    return new URLSearchParams(response.body);
  }

  async requestToken(
    consumer: { key: string; secret: string },
    method: SignatureMethod,
    callbackUrl: string,
  ) {
    const reply = await this.post(
      "/v2/oauth/request_token",
      { oauth_callback: callbackUrl },
      consumer,
      method,
    );
    const token = reply.get("oauth_token");
    const secret = reply.get("oauth_token_secret");
    if (!token || !secret || reply.get("oauth_callback_confirmed") !== "true") {
      throw new ProviderRefused(
        "Clever Cloud did not confirm the callback URL (it must match the consumer's domain)",
      );
    }
    return { token, secret };
  }

  authorizeUrl(requestToken: string): string {
    return `${this.host}/v2/oauth/authorize?oauth_token=${encodeURIComponent(requestToken)}`;
  }

  async accessToken(
    consumer: { key: string; secret: string },
    method: SignatureMethod,
    requestToken: { key: string; secret: string },
    verifier: string,
  ) {
    const reply = await this.post(
      "/v2/oauth/access_token",
      { oauth_verifier: verifier },
      consumer,
      method,
      requestToken,
    );
    const token = reply.get("oauth_token");
    const secret = reply.get("oauth_token_secret");
    if (!token || !secret) throw new ProviderRefused("Clever Cloud answered no access token");
    return { token, secret, expiresAt: reply.get("expiration_date") ?? undefined };
  }
}
