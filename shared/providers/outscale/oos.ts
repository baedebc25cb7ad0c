import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { CheckOutcome } from "../../domain/credentials/model";
import type { BillingBucket } from "../../domain/providers/outscale";
import { type ProviderEnvironment, regionUrl } from "../environment";
import { sendOutbound, Unreachable } from "../http/outbound";
import { limiterFor } from "../http/rate-limit";

const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const AUTH_FAILURES = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidToken",
  "AccountProblem",
]);

/**
 * One `ListObjectsV2` with one key on OOS (OUTSCALE's S3-compatible storage): path-style, SigV4
 * for service `s3` in the bucket's region. Written on the shared outbound client rather than the
 * S3 SDK: it keeps the API Lambda ~120 KB lighter and gets the same timeouts, retries and pacing.
 * Answers the S3 error code, or undefined when the bucket could be listed.
 */
async function listOneKey(
  keys: { accessKey: string; secretKey: string },
  bucket: BillingBucket,
  environment: ProviderEnvironment,
): Promise<string | undefined> {
  const url = new URL(
    `${regionUrl(environment.outscaleOosUrlTemplate, bucket.region)}/${encodeURIComponent(bucket.name)}`,
  );
  url.searchParams.set("list-type", "2");
  url.searchParams.set("max-keys", "1");
  if (bucket.prefix) url.searchParams.set("prefix", bucket.prefix);
  const signer = new SignatureV4({
    service: "s3",
    region: bucket.region,
    credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
    sha256: Sha256,
    uriEscapePath: false,
  });
  const response = await sendOutbound(
    { method: "GET", url: url.toString(), headers: {} },
    {
      timeoutMs: environment.timeoutMs,
      retry: environment.retry,
      limiter: limiterFor(`oos:${keys.accessKey}`),
      publicAddressesOnly: environment.publicAddressesOnly,
      sign: async () =>
        (
          await signer.sign(
            new HttpRequest({
              method: "GET",
              protocol: url.protocol,
              hostname: url.hostname,
              port: url.port ? Number(url.port) : undefined,
              path: url.pathname,
              query: Object.fromEntries(url.searchParams),
              headers: { host: url.host, "x-amz-content-sha256": EMPTY_PAYLOAD_SHA256 },
            }),
          )
        ).headers,
    },
  );
  if (response.status < 300) return undefined;
  return /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1] ?? `HTTP${response.status}`;
}

/** Lists each configured bucket once (one key) and says, per bucket, whether it can be read. */
export async function checkBillingBuckets(
  keys: { billingAccessKey: string; billingSecretKey: string },
  buckets: BillingBucket[],
  environment: ProviderEnvironment,
): Promise<CheckOutcome> {
  const results: Array<{
    name: string;
    region: string;
    prefix: string | null;
    readable: boolean;
    error?: string;
  }> = [];
  for (const bucket of buckets) {
    let code: string | undefined;
    try {
      code = await listOneKey(
        { accessKey: keys.billingAccessKey, secretKey: keys.billingSecretKey },
        bucket,
        environment,
      );
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      return {
        status: "unreachable",
        identity: { buckets: results },
        error: `OOS in ${bucket.region}: ${error.reason}`,
      };
    }
    if (code && AUTH_FAILURES.has(code)) {
      // Stop at the first refusal: repeated bad signatures can lock the key.
      return {
        status: "invalid",
        identity: { buckets: results },
        error: `OOS refused the billing key (${code}): wrong key or secret, or a key of another region than ${bucket.region}`,
      };
    }
    results.push({
      name: bucket.name,
      region: bucket.region,
      prefix: bucket.prefix ?? null,
      readable: !code,
      ...(code
        ? { error: code === "NoSuchBucket" ? "no such bucket" : `${code}: cannot list this bucket` }
        : {}),
    });
  }
  const unreadable = results.filter((bucket) => !bucket.readable);
  return unreadable.length === 0
    ? { status: "valid", identity: { buckets: results } }
    : {
        status: "invalid",
        identity: { buckets: results },
        error: `${unreadable.length} of ${results.length} bucket(s) cannot be read: ${unreadable.map((bucket) => `${bucket.name} (${bucket.error})`).join(", ")}`,
      };
}
