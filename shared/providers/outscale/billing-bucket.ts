import type { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { BillingObjectRef } from "../../domain/billing/model";
import type { BillingBucketReader, BillingKeys } from "../../domain/billing/ports";
import type { BillingBucket } from "../../domain/providers/outscale";
import { type ProviderEnvironment, regionUrl } from "../environment";
import { outboundAgent } from "../http/outbound";

/**
 * Billing buckets on OOS through the S3 SDK (streamed GetObject, paginated listing): path-style,
 * SigV4 in the bucket's region, checksums only when required (as OUTSCALE's own tools do), the
 * SDK's bounded retries, and the credential's proxy when it has one.
 */
export class OosBillingBucketReader implements BillingBucketReader {
  constructor(private readonly environment: ProviderEnvironment) {}

  private client(keys: BillingKeys, region: string): S3Client {
    const agent = outboundAgent(keys.proxy, this.environment.publicAddressesOnly);
    return new S3Client({
      region,
      endpoint: regionUrl(this.environment.outscaleOosUrlTemplate, region),
      forcePathStyle: true,
      credentials: { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: this.environment.retry.maxRetries + 1,
      requestHandler: new NodeHttpHandler({
        connectionTimeout: this.environment.timeoutMs,
        requestTimeout: this.environment.timeoutMs * 4,
        ...(agent ? { httpAgent: agent, httpsAgent: agent } : {}),
      }),
    });
  }

  async *list(keys: BillingKeys, bucket: BillingBucket): AsyncIterable<BillingObjectRef> {
    const client = this.client(keys, bucket.region);
    let token: string | undefined;
    try {
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket.name,
            Prefix: bucket.prefix || undefined,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          // Folder markers hold no data.
          if (!object.Key || object.Key.endsWith("/") || !object.ETag) continue;
          yield {
            bucket: bucket.name,
            region: bucket.region,
            key: object.Key,
            etag: object.ETag.replaceAll('"', ""),
            size: object.Size ?? 0,
          };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } finally {
      client.destroy();
    }
  }

  async open(keys: BillingKeys, object: BillingObjectRef): Promise<Readable> {
    const client = this.client(keys, object.region);
    const reply = await client.send(
      new GetObjectCommand({ Bucket: object.bucket, Key: object.key, IfMatch: `"${object.etag}"` }),
    );
    const body = reply.Body as Readable;
    body.once("close", () => client.destroy());
    return body;
  }
}
