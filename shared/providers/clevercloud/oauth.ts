import { createHmac } from "node:crypto";
import OAuth from "oauth-1.0a";
import type { SignatureMethod } from "../../domain/providers/clevercloud";

const HMAC_ALGORITHMS: Record<Exclude<SignatureMethod, "PLAINTEXT">, string> = {
  "HMAC-SHA512": "sha512",
  "HMAC-SHA1": "sha1",
};

/** An OAuth 1.0a signer (RFC 5849) for one consumer, with any of the three methods Clever Cloud accepts. */
export function oauthSigner(consumer: { key: string; secret: string }, method: SignatureMethod): OAuth {
  return new OAuth({
    consumer,
    signature_method: method,
    hash_function:
      method === "PLAINTEXT"
        ? (_baseString, key) => key
        : (baseString, key) => createHmac(HMAC_ALGORITHMS[method], key).update(baseString).digest("base64"),
  });
}

/**
 * The `Authorization: OAuth ...` header for one request. Query parameters (read from the URL)
 * and form parameters (`form`) are part of the signature, as RFC 5849 §3.4.1.3 requires.
 */
export function oauthHeader(
  signer: OAuth,
  request: { method: string; url: string; form?: Record<string, string> },
  token?: { key: string; secret: string },
): string {
  const authorization = signer.authorize(
    { method: request.method, url: request.url, data: request.form ?? {} },
    token,
  );
  return signer.toHeader(authorization).Authorization;
}
