import { Sha256 } from "@aws-crypto/sha256-js";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { ReportLinks } from "../../domain/inventory/ports";

/**
 * Presigned GET URLs for report files, signed here with SigV4 (no S3 SDK in the API Lambda, where
 * the role's credentials come from the environment). Locally the endpoint is the S3 emulator.
 */
export class PresignedReportLinks implements ReportLinks {
  private readonly signer: SignatureV4;

  constructor(
    private readonly bucket: string,
    private readonly region: string,
    /** Path-style endpoint (the local emulator); unset: the bucket's virtual-hosted address. */
    private readonly endpoint?: string,
    credentials?: { accessKeyId: string; secretAccessKey: string },
  ) {
    this.signer = new SignatureV4({
      service: "s3",
      region,
      credentials: credentials ?? defaultProvider(),
      sha256: Sha256,
      uriEscapePath: false,
    });
  }

  async downloadUrl(key: string, expiresInSeconds: number): Promise<string> {
    const path = key
      .split("/")
      .map((part) => encodeURIComponent(part))
      .join("/");
    const url = this.endpoint
      ? new URL(`${this.endpoint.replace(/\/$/, "")}/${this.bucket}/${path}`)
      : new URL(`https://${this.bucket}.s3.${this.region}.amazonaws.com/${path}`);
    const signed = await this.signer.presign(
      new HttpRequest({
        method: "GET",
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        headers: { host: url.host },
      }),
      { expiresIn: expiresInSeconds },
    );
    const query = new URLSearchParams(signed.query as Record<string, string>);
    return `${url.origin}${url.pathname}?${query.toString()}`;
  }
}
