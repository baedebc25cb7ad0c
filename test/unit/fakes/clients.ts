import { createHmac } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import OAuth from "oauth-1.0a";

/** Requests signed with the real client libraries, to check the fakes accept what clients send. */

export async function outscaleCall(
  baseUrl: string,
  action: string,
  body: unknown,
  options: { accessKey: string; secretKey: string; region?: string; date?: Date; path?: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(`${baseUrl}${options.path ?? "/api/v1"}/${action}`);
  const payload = JSON.stringify(body);
  const signer = new SignatureV4({
    service: "api",
    region: options.region ?? "eu-west-2",
    credentials: { accessKeyId: options.accessKey, secretAccessKey: options.secretKey },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, "content-type": "application/json" },
      body: payload,
    }),
    { signingDate: options.date },
  );
  const response = await fetch(url, { method: "POST", headers: signed.headers, body: payload });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export type OAuthMethod = "PLAINTEXT" | "HMAC-SHA1" | "HMAC-SHA512";

/** `Authorization: OAuth ...` from oauth-1.0a, hashing with node:crypto. */
export function oauthAuthorization(options: {
  consumer: { key: string; secret: string };
  token?: { key: string; secret: string };
  method: string;
  url: string;
  data?: Record<string, string>;
  signatureMethod: OAuthMethod;
  /** Seconds since the epoch, to sign as a client with a wrong clock would. */
  timestamp?: number;
}): string {
  const algorithm = options.signatureMethod === "HMAC-SHA512" ? "sha512" : "sha1";
  const client = new OAuth({
    consumer: options.consumer,
    signature_method: options.signatureMethod,
    hash_function: (base, key) =>
      options.signatureMethod === "PLAINTEXT"
        ? key
        : createHmac(algorithm, key).update(base).digest("base64"),
  });
  if (options.timestamp !== undefined) client.getTimeStamp = () => options.timestamp!;
  const authorized = client.authorize(
    { url: options.url, method: options.method, data: options.data },
    options.token,
  );
  return client.toHeader(authorized).Authorization;
}

/**
 * oauth-1.0a puts `oauth_*` data parameters (oauth_callback, oauth_verifier) in the header; this
 * takes one out, for a request that carries it in its form body instead (RFC 5849 §3.5: one place).
 */
export function withoutHeaderParam(authorization: string, name: string): string {
  return authorization.replace(new RegExp(`${name}="[^"]*",\\s*`), "");
}
