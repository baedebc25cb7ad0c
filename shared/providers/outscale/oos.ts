import { ListObjectsV2Command, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { CheckOutcome } from "../../domain/model";
import { type ProviderEnvironment, regionUrl } from "../environment";
import { outboundAgent } from "../http/outbound";

export interface BillingBucket {
  name: string;
  region: string;
  prefix?: string;
}

/** OOS (OUTSCALE's S3-compatible storage): path-style, checksums only when required, as OUTSCALE's tools do. */
export function oosClient(
  keys: { accessKey: string; secretKey: string; region: string; proxy?: string },
  environment: ProviderEnvironment,
): S3Client {
  const agent = outboundAgent(keys.proxy, environment.publicAddressesOnly);
  return new S3Client({
    region: keys.region,
    endpoint: regionUrl(environment.outscaleOosUrlTemplate, keys.region),
    forcePathStyle: true,
    credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: environment.retry.maxRetries + 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: environment.timeoutMs,
      requestTimeout: environment.timeoutMs,
      ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
    }),
  });
}

const AUTH_FAILURES = new Set(["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken"]);

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
    const client = oosClient(
      { accessKey: keys.billingAccessKey, secretKey: keys.billingSecretKey, region: bucket.region },
      environment,
    );
    try {
      await client.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: bucket.prefix, MaxKeys: 1 }));
      results.push({
        name: bucket.name,
        region: bucket.region,
        prefix: bucket.prefix ?? null,
        readable: true,
      });
    } catch (error) {
      if (error instanceof S3ServiceException) {
        if (AUTH_FAILURES.has(error.name)) {
          // Stop at the first bad signature: repeated ones can lock the key.
          return {
            status: "invalid",
            identity: { buckets: results },
            error: `OOS refused the billing key (${error.name}): wrong key or secret, or a key of another region than ${bucket.region}`,
          };
        }
        results.push({
          name: bucket.name,
          region: bucket.region,
          prefix: bucket.prefix ?? null,
          readable: false,
          error: error.name === "NoSuchBucket" ? "no such bucket" : `${error.name}: cannot list this bucket`,
        });
      } else {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          status: "unreachable",
          identity: { buckets: results },
          error: `OOS in ${bucket.region}: ${reason}`,
        };
      }
    } finally {
      client.destroy();
    }
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
