import { Transform, type TransformCallback } from "node:stream";
import { constants, createGzip, type Gzip } from "node:zlib";
import { FOCUS_COLUMNS, type FocusRecord } from "./focus";

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field (RFC 4180): quoted only when it holds a comma, a quote or a line break. */
export function csvField(value: string | null): string {
  if (value === null) return "";
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const FOCUS_CSV_HEADER = `${FOCUS_COLUMNS.join(",")}\n`;

/**
 * Columns whose values we produce ourselves (decimals, ISO dates, ISO currency, fixed vocabulary):
 * they never hold a comma, quote or line break, so the per-field check is skipped for them.
 */
const SAFE_COLUMNS = new Set<string>([
  "BilledCost",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ConsumedQuantity",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "ListUnitPrice",
  "PricingQuantity",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceSubcategory",
]);
const COLUMN_IS_SAFE = FOCUS_COLUMNS.map((column) => SAFE_COLUMNS.has(column));

export function focusCsvLine(record: FocusRecord): string {
  let line = "";
  for (let index = 0; index < FOCUS_COLUMNS.length; index++) {
    const value = record[FOCUS_COLUMNS[index]!];
    const field = value === null ? "" : COLUMN_IS_SAFE[index] ? value : csvField(value);
    line += index === 0 ? field : `,${field}`;
  }
  return `${line}\n`;
}

export interface FocusCsvOptions {
  /** zlib level, 1 (fastest) to 9; the default 6 is zlib's usual trade-off. */
  gzipLevel?: number;
}

/** CSV text is handed to zlib in slices of about this size: fewer, larger writes compress faster. */
const BATCH_CHARS = 64 * 1024;
/**
 * How much text may wait for zlib before a record is held back. Waiting for 'drain' after every
 * slice would serialise the main thread and the compressing thread; a few MiB lets them overlap.
 */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/**
 * FocusRecord objects in, gzip CSV bytes out (header once, LF line ends). Compression runs on
 * libuv's thread pool, so it overlaps with parsing on the main thread. Backpressure: a record is
 * acknowledged only once zlib has taken its batch, and the Transform's own readable buffer stops
 * further writes when the consumer (the S3 upload) is slow.
 */
export function focusCsvStream(options: FocusCsvOptions = {}): Transform {
  return new FocusCsvGzip(options.gzipLevel ?? constants.Z_DEFAULT_COMPRESSION);
}

class FocusCsvGzip extends Transform {
  private readonly gzip: Gzip;
  private batch = FOCUS_CSV_HEADER;
  private gzipEnded: Promise<void>;

  constructor(level: number) {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
    this.gzip = createGzip({ level });
    this.gzip.on("data", (chunk: Buffer) => this.push(chunk));
    this.gzipEnded = new Promise((resolve, reject) => {
      this.gzip.once("end", resolve);
      this.gzip.once("error", reject);
    });
    this.gzipEnded.catch((error: Error) => this.destroy(error));
  }

  override _transform(record: FocusRecord, _encoding: BufferEncoding, done: TransformCallback): void {
    this.batch += focusCsvLine(record);
    if (this.batch.length < BATCH_CHARS) {
      done();
      return;
    }
    this.flushBatch(done);
  }

  override _flush(done: TransformCallback): void {
    this.flushBatch(() => {
      this.gzip.end();
      this.gzipEnded.then(() => done(), done);
    });
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.gzip.destroy();
    done(error);
  }

  private flushBatch(done: () => void): void {
    const text = this.batch;
    this.batch = "";
    if (text.length > 0) this.gzip.write(text);
    if (this.gzip.writableLength < MAX_QUEUED_BYTES) done();
    else this.gzip.once("drain", done);
  }
}
