import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signature verification written from the specifications (RFC 5849 for OAuth 1, AWS's SigV4 and
 * OUTSCALE's OSC4 variant), independent of the client libraries, so a client bug cannot hide.
 */

/** RFC 3986 percent-encoding, as RFC 5849 §3.6 requires. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Byte-order comparison of ASCII strings (encoded names and values are ASCII). */
function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function safeEqual(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------- OAuth 1.0a (RFC 5849) ----------

/** `OAuth k="v", ...` -> decoded parameters (realm excluded, §3.5.1); undefined when malformed. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const part of header.replace(/^OAuth\s+/i, "").split(",")) {
    if (!part.trim()) continue;
    const match = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!match) return undefined;
    try {
      const name = decodeURIComponent(match[1]!);
      if (name === "realm") continue;
      if (Object.hasOwn(params, name)) return undefined; // §3.1: each parameter at most once
      params[name] = decodeURIComponent(match[2]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** §3.4.1.2: scheme and host lower case, default ports dropped, no query. */
export function baseStringUri(url: URL): string {
  const defaultPort =
    (url.protocol === "http:" && url.port === "80") || (url.protocol === "https:" && url.port === "443");
  const port = url.port && !defaultPort ? `:${url.port}` : "";
  return `${url.protocol.toLowerCase()}//${url.hostname.toLowerCase()}${port}${url.pathname}`;
}

/**
 * §3.4.1: the signature base string from the method, the URL (its query counts), the protocol
 * parameters (signature excluded) and the form-encoded body parameters.
 */
export function oauthBaseString(
  method: string,
  url: URL,
  oauthParams: Record<string, string>,
  formParams: Array<[string, string]> = [],
): string {
  const pairs: Array<[string, string]> = [
    ...[...url.searchParams.entries()],
    ...formParams,
    ...Object.entries(oauthParams).filter(([name]) => name !== "oauth_signature"),
  ].map(([name, value]) => [rfc3986(name), rfc3986(value)]);
  pairs.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  const normalized = pairs.map(([name, value]) => `${name}=${value}`).join("&");
  return [method.toUpperCase(), rfc3986(baseStringUri(url)), rfc3986(normalized)].join("&");
}

export function oauthSignature(
  method: string,
  baseString: string,
  consumerSecret: string,
  tokenSecret = "",
): string {
  const key = `${rfc3986(consumerSecret)}&${rfc3986(tokenSecret)}`;
  if (method === "PLAINTEXT") return key;
  const algorithm = method === "HMAC-SHA1" ? "sha1" : method === "HMAC-SHA512" ? "sha512" : undefined;
  if (!algorithm) throw new Error(`unsupported signature method ${method}`);
  return createHmac(algorithm, key).update(baseString).digest("base64");
}

export function oauthSignatureMatches(
  request: {
    method: string;
    url: URL;
    oauthParams: Record<string, string>;
    formParams?: Array<[string, string]>;
  },
  consumerSecret: string,
  tokenSecret?: string,
): boolean {
  const method = request.oauthParams.oauth_signature_method ?? "";
  const given = request.oauthParams.oauth_signature ?? "";
  try {
    const expected = oauthSignature(
      method,
      oauthBaseString(request.method, request.url, request.oauthParams, request.formParams),
      consumerSecret,
      tokenSecret,
    );
    return safeEqual(given, expected);
  } catch {
    return false;
  }
}

// ---------- SigV4 (AWS4-HMAC-SHA256) and OUTSCALE's OSC4 variant ----------

export interface SigV4Flavour {
  algorithm: "AWS4-HMAC-SHA256" | "OSC4-HMAC-SHA256";
  keyPrefix: "AWS4" | "OSC4";
  terminator: "aws4_request" | "osc4_request";
  dateHeader: "x-amz-date" | "x-osc-date";
}

export const AWS4: SigV4Flavour = {
  algorithm: "AWS4-HMAC-SHA256",
  keyPrefix: "AWS4",
  terminator: "aws4_request",
  dateHeader: "x-amz-date",
};
export const OSC4: SigV4Flavour = {
  algorithm: "OSC4-HMAC-SHA256",
  keyPrefix: "OSC4",
  terminator: "osc4_request",
  dateHeader: "x-osc-date",
};

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

/**
 * The canonical URI: each segment of the (already percent-encoded) path encoded once more, as
 * every service but S3 expects (`doubleEncode: false` for S3).
 */
export function canonicalUri(url: URL, doubleEncode = true): string {
  const path = url.pathname || "/";
  return doubleEncode ? path.split("/").map(rfc3986).join("/") : path;
}

/** The canonical query: names and values RFC 3986-encoded, sorted by name then value. */
export function canonicalQuery(url: URL): string {
  return [...url.searchParams.entries()]
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

/** The canonical request: method, URI, sorted query, signed headers (trimmed), payload hash. */
export function canonicalRequest(
  method: string,
  url: URL,
  headers: Record<string, string>,
  signedHeaders: string[],
  payloadHash: string,
  doubleEncode = true,
): string {
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  return [
    method.toUpperCase(),
    canonicalUri(url, doubleEncode),
    canonicalQuery(url),
    canonicalHeaders,
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export function stringToSign(
  flavour: SigV4Flavour,
  requestDate: string,
  scope: string,
  canonical: string,
): string {
  return [flavour.algorithm, requestDate, scope, sha256Hex(canonical)].join("\n");
}

export function signingKey(
  flavour: SigV4Flavour,
  secret: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  return hmac(hmac(hmac(hmac(`${flavour.keyPrefix}${secret}`, date), region), service), flavour.terminator);
}

export interface ParsedSigV4 {
  flavour: SigV4Flavour;
  accessKey: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=AK/20150830/region/service/aws4_request, SignedHeaders=..., Signature=...` */
export function parseSigV4Authorization(header: string | undefined): ParsedSigV4 | undefined {
  const match =
    /^(AWS4-HMAC-SHA256|OSC4-HMAC-SHA256) Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/(aws4_request|osc4_request),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      header ?? "",
    );
  if (!match) return undefined;
  const flavour = match[1] === "AWS4-HMAC-SHA256" ? AWS4 : OSC4;
  if (match[6] !== flavour.terminator) return undefined;
  return {
    flavour,
    accessKey: match[2]!,
    date: match[3]!,
    region: match[4]!,
    service: match[5]!,
    signedHeaders: match[7]!.split(";"),
    signature: match[8]!,
  };
}

/** The hex signature of a canonical request under a flavour, secret and scope. */
export function sigV4Signature(
  flavour: SigV4Flavour,
  secret: string,
  scope: { date: string; region: string; service: string },
  requestDate: string,
  canonical: string,
): string {
  const scopeText = [scope.date, scope.region, scope.service, flavour.terminator].join("/");
  return hmac(
    signingKey(flavour, secret, scope.date, scope.region, scope.service),
    stringToSign(flavour, requestDate, scopeText, canonical),
  ).toString("hex");
}

/**
 * Checks a parsed SigV4/OSC4 authorization against the request as received: signed headers
 * sorted, lower case, with `host` and the date header among them; the scope's day equal to the
 * date header's; a declared payload hash equal to the body's; then the signature itself.
 * Answers why it fails, or undefined when the request is signed right.
 */
export function sigV4Problem(
  parsed: ParsedSigV4,
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  secret: string,
): string | undefined {
  const { signedHeaders, flavour } = parsed;
  const sorted = [...signedHeaders].sort(compare);
  if (signedHeaders.some((name, index) => name !== name.toLowerCase() || name !== sorted[index])) {
    return "signed headers must be lower case and sorted";
  }
  if (!signedHeaders.includes("host")) return "the host header must be signed";
  if (!signedHeaders.includes(flavour.dateHeader)) return `the ${flavour.dateHeader} header must be signed`;
  const requestDate = request.headers[flavour.dateHeader] ?? "";
  if (requestDate.slice(0, 8) !== parsed.date) return "the credential scope's date is not the request's";
  const payloadHash = sha256Hex(request.body);
  const declared = request.headers["x-amz-content-sha256"];
  if (declared !== undefined && declared !== payloadHash) return "x-amz-content-sha256 is not the body's";
  const canonical = canonicalRequest(
    request.method,
    request.url,
    request.headers,
    signedHeaders,
    payloadHash,
  );
  const expected = sigV4Signature(flavour, secret, parsed, requestDate, canonical);
  return safeEqual(expected, parsed.signature) ? undefined : "signature mismatch";
}

export function sigV4SignatureMatches(
  parsed: ParsedSigV4,
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  secret: string,
): boolean {
  return sigV4Problem(parsed, request, secret) === undefined;
}

/** `20150830T123600Z` -> epoch ms. */
export function parseAmzDate(value: string | undefined): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}
