import type { Transform } from "node:stream";
import { DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { FocusFileSink } from "../../domain/billing/ports";

type Location = Parameters<FocusFileSink["remove"]>[0];

/**
 * FOCUS files in the reports bucket, streamed (multipart upload) as they are encoded, under the
 * partitions the Glue table projects: `finops/tenant=<t>/billing_month=<YYYY-MM>/`. One file per
 * object and month, named by object, so a changed object overwrites its own file.
 */
export class S3FocusSink implements FocusFileSink {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly encoder: () => Transform,
  ) {}

  static keyOf(location: Location): string {
    return `finops/tenant=${location.tenant}/billing_month=${location.month}/${location.credentialId}-${location.objectId}.csv.gz`;
  }

  open(location: Location) {
    const encoder = this.encoder();
    const uploaded = new Upload({
      client: this.s3,
      params: {
        Bucket: this.bucket,
        Key: S3FocusSink.keyOf(location),
        Body: encoder,
        ContentType: "application/gzip",
      },
    }).done();
    let failure: unknown;
    uploaded.catch((error: unknown) => {
      failure = error;
      encoder.destroy();
    });
    return {
      write: (csv: Uint8Array) =>
        new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure);
          if (encoder.write(csv)) resolve();
          else encoder.once("drain", () => resolve());
        }),
      done: async () => {
        encoder.end();
        await uploaded;
      },
    };
  }

  async remove(location: Location): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: S3FocusSink.keyOf(location) }));
  }
}
