import type { CleverCloudState } from "./clevercloud-model";
import { oauthSignatureMatches, parseOAuthHeader } from "./sign-check";

const TIMESTAMP_WINDOW_S = 300;
const SIGNATURE_METHODS = new Set(["PLAINTEXT", "HMAC-SHA1", "HMAC-SHA512"]);

export type AuthResult =
  | { ok: true; userId: string; params: Record<string, string> }
  | { ok: false; reason: string };

export function expired(expirationDate: string | undefined, now: number): boolean {
  return expirationDate !== undefined && Date.parse(expirationDate) <= now;
}

/**
 * RFC 5849 §3.2: the checks a server makes before it trusts a signed request: a well-formed
 * header, a known consumer, a supported method, a fresh timestamp and an unused nonce, a live
 * token of the expected kind issued to that consumer, then the signature itself.
 */
export function authenticateOAuth(
  state: CleverCloudState,
  now: number,
  method: string,
  url: URL,
  headers: Record<string, string>,
  formParams: Array<[string, string]>,
  tokenKind: "request" | "access" | "none",
): AuthResult {
  const params = parseOAuthHeader(headers.authorization);
  if (!params) return { ok: false, reason: "missing or malformed OAuth authorization" };
  if (params.oauth_version !== undefined && params.oauth_version !== "1.0") {
    return { ok: false, reason: "oauth_version must be 1.0" };
  }
  const signatureMethod = params.oauth_signature_method ?? "";
  if (!SIGNATURE_METHODS.has(signatureMethod)) return { ok: false, reason: "unsupported signature method" };
  const consumer = state.consumers.get(params.oauth_consumer_key ?? "");
  if (!consumer) return { ok: false, reason: "unknown consumer key" };
  // §3.3: timestamp and nonce may be left out with PLAINTEXT only; when present, they are checked.
  const timed = signatureMethod !== "PLAINTEXT" || params.oauth_timestamp || params.oauth_nonce;
  const timestamp = Number(params.oauth_timestamp);
  if (timed && (!/^\d+$/.test(params.oauth_timestamp ?? "") || !params.oauth_nonce)) {
    return { ok: false, reason: "missing timestamp or nonce" };
  }
  if (timed && Math.abs(now / 1000 - timestamp) > TIMESTAMP_WINDOW_S) {
    return { ok: false, reason: "stale timestamp" };
  }
  const nonceKey = [consumer.key, params.oauth_token ?? "", params.oauth_timestamp, params.oauth_nonce].join(
    ":",
  );
  if (timed && state.nonces.has(nonceKey)) return { ok: false, reason: "nonce already used" };
  let tokenSecret = "";
  let userId = "";
  if (tokenKind !== "none") {
    const token = state.tokens.get(params.oauth_token ?? "");
    if (!token || token.kind !== tokenKind) return { ok: false, reason: "unknown token" };
    if (token.consumerKey && token.consumerKey !== consumer.key) {
      return { ok: false, reason: "token issued to another consumer" };
    }
    if (expired(token.expirationDate, now)) return { ok: false, reason: "token expired" };
    tokenSecret = token.secret;
    userId = token.userId;
  }
  if (
    !oauthSignatureMatches({ method, url, oauthParams: params, formParams }, consumer.secret, tokenSecret)
  ) {
    return { ok: false, reason: "invalid signature" };
  }
  if (timed) state.nonces.add(nonceKey);
  return { ok: true, userId, params };
}
