import { createInterface } from "node:readline";
import { PassThrough, type Readable, type Writable } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { InventoryReports, InventoryReportWriter } from "../../domain/inventory/ports";
import type { InventoryResource } from "../../domain/inventory/resource";
import { renderSummaryHtml } from "./inventory-summary-html";

const CSV_COLUMNS = [
  "provider",
  "accountId",
  "region",
  "zone",
  "type",
  "id",
  "name",
  "state",
  "createdAt",
  "tags",
] as const;

function csvField(value: unknown): string {
  const text =
    value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function write(stream: Writable, chunk: string): Promise<void> {
  return new Promise((resolve) => (stream.write(chunk) ? resolve() : stream.once("drain", () => resolve())));
}

/** Report folders in the reports bucket: resources streamed (multipart uploads), small files put whole. */
export class S3InventoryReports implements InventoryReports {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  private stream(key: string, contentType: string, body: Readable) {
    return new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
    }).done();
  }

  open(prefix: string): InventoryReportWriter {
    const jsonLines = createGzip();
    const csv = new PassThrough();
    const uploads = [
      this.stream(`${prefix}resources.jsonl.gz`, "application/gzip", jsonLines),
      this.stream(`${prefix}resources.csv`, "text/csv; charset=utf-8", csv),
    ];
    let failure: unknown;
    for (const upload of uploads) upload.catch((error: unknown) => (failure = error));
    let csvStarted = false;
    return {
      writeResource: async (resource) => {
        if (failure) throw failure;
        if (!csvStarted) {
          csvStarted = true;
          await write(csv, `${CSV_COLUMNS.join(",")}\n`);
        }
        await write(jsonLines, `${JSON.stringify(resource)}\n`);
        await write(csv, `${CSV_COLUMNS.map((column) => csvField(resource[column])).join(",")}\n`);
      },
      writeJson: (name, value) =>
        this.put(`${prefix}${name}`, JSON.stringify(value, null, 2), "application/json"),
      writeSummaryPage: (run, diff) =>
        this.put(`${prefix}summary.html`, renderSummaryHtml(run, diff), "text/html; charset=utf-8"),
      close: async () => {
        if (!csvStarted) await write(csv, `${CSV_COLUMNS.join(",")}\n`);
        jsonLines.end();
        csv.end();
        await Promise.all(uploads);
      },
    };
  }

  private async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async *readResources(prefix: string): AsyncIterable<InventoryResource> {
    const reply = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: `${prefix}resources.jsonl.gz` }),
    );
    const lines = createInterface({
      input: (reply.Body as Readable).pipe(createGunzip()),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) if (line.trim()) yield JSON.parse(line) as InventoryResource;
  }
}
