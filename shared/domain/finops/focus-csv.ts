import { Transform, type TransformCallback } from "node:stream";
import { createGzip, type Gzip } from "node:zlib";
import type { ConsumptionRow } from "./consumption";
import { calendarMonthOf } from "./dates";
import { formatDecimal } from "./decimal";
import { classifyService, FOCUS_COLUMNS, type FocusContext, type FocusRecord, regionOf } from "./focus";
import { detach } from "./text";

const NEEDS_QUOTES = /[",\r\n\\]/;

/**
 * One CSV field, quoted only when it holds a comma, a quote or a line break. Athena reads these
 * files with OpenCSVSerde, which takes one record per line and `\` as its escape character: line
 * breaks inside a field become spaces, and a backslash is doubled so it reads back as itself.
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  if (!NEEDS_QUOTES.test(value)) return value;
  const flat = value
    .replace(/\r\n|\r|\n/g, " ")
    .replaceAll("\\", "\\\\")
    .replaceAll('"', '""');
  return `"${flat}"`;
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

/**
 * The CSV line of one row, exactly `focusCsvLine(toFocusRecord(row, context))` (a unit test holds
 * them equal), built straight from the row: no 35-property record per row, and the values that
 * depend only on a few repeating inputs (billing period, service class, region) are cached.
 */
export class FocusCsvLines {
  private readonly accountName: string;
  private readonly credentialId: string;
  private lastFromDate: string | undefined;
  private lastPeriod = ",,";
  private readonly serviceClasses = new Map<string, string>();
  private lastSubregion = "";
  private lastRegion = "";

  constructor(context: FocusContext) {
    this.accountName = csvField(context.billingAccountName ?? null);
    this.credentialId = csvField(context.credentialId);
  }

  line(row: ConsumptionRow): string {
    const cost = row.price === undefined ? "" : formatDecimal(row.price);
    const quantity = formatDecimal(row.quantity);
    const unitPrice = row.unitPrice === undefined ? "" : formatDecimal(row.unitPrice);
    const type = csvField(row.type);
    const subregion = row.subregionName;
    let region = "";
    let zone = "";
    if (subregion !== undefined) {
      if (subregion !== this.lastSubregion) {
        this.lastSubregion = detach(subregion);
        this.lastRegion = csvField(regionOf(subregion));
      }
      region = this.lastRegion;
      zone = csvField(subregion);
    }
    const resource = row.resourceId === undefined ? "" : csvField(row.resourceId);
    // BillingPeriodEnd,BillingPeriodStart: the dates come from a cache, so equal ones are mostly
    // the same string and the comparison is a pointer check.
    if (row.fromDate !== this.lastFromDate) {
      const month = calendarMonthOf(row.fromDate);
      this.lastFromDate = row.fromDate;
      this.lastPeriod = `${month.end},${month.start}`;
    }
    const service = this.serviceClass(row.service, row.category);
    return `${zone},${cost},${csvField(row.payingAccountId)},${this.accountName},${row.currency},${this.lastPeriod},Usage,,${csvField(row.title)},Usage-Based,${row.toDate},${row.fromDate},${quantity},${type},${cost},${cost},OUTSCALE,${cost},${unitPrice},${quantity},${type},OUTSCALE,OUTSCALE,${region},${region},${resource},${service},${type},${csvField(row.accountId)},${csvField(row.category)},${this.credentialId},${csvField(row.operation)}\n`;
  }

  /** "ServiceCategory,ServiceName,ServiceSubcategory" for a service and category. */
  private serviceClass(service: string, category: string): string {
    const key = `${service}\u001f${category}`;
    let text = this.serviceClasses.get(key);
    if (text === undefined) {
      const { category: serviceCategory, subcategory } = classifyService(service, category);
      text = `${serviceCategory},${csvField(service)},${subcategory}`;
      if (this.serviceClasses.size >= 1024) this.serviceClasses.clear();
      this.serviceClasses.set(detach(key), text);
    }
    return text;
  }
}

/** A slice of ready-made FOCUS CSV text (whole lines), written to {@link focusCsvStream} as one chunk. */
export class FocusCsvText {
  constructor(readonly text: string) {}
}

/** Where {@link FocusCsvWriter} sends its chunks: what the import's FocusFileSink opens. */
export interface FocusCsvTarget {
  write(chunk: Record<string, unknown>): Promise<void>;
  done(): Promise<void>;
}

/** About this much CSV text is handed to the stream per write. */
const WRITER_CHUNK_CHARS = 256 * 1024;

/**
 * Rows in, large text chunks out: `add` appends the row's CSV line and says when a chunk is full;
 * then `await flush()` hands it to the target (whose promise honours the stream's backpressure).
 * One write per ~1,000 rows instead of one per row, and no FocusRecord object per row.
 *
 *   const writer = new FocusCsvWriter(file, { credentialId });
 *   for (const row of batch) if (writer.add(row)) await writer.flush();
 *   await writer.end(); // flushes the rest, then file.done()
 */
export class FocusCsvWriter {
  private readonly lines: FocusCsvLines;
  /** Lines of the chunk being built, joined once (a flat copy) when it is handed over. */
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(
    private readonly target: FocusCsvTarget,
    context: FocusContext,
    private readonly chunkChars = WRITER_CHUNK_CHARS,
  ) {
    this.lines = new FocusCsvLines(context);
  }

  /** Appends one row; true when the chunk is full and `flush()` should be awaited before more. */
  add(row: ConsumptionRow): boolean {
    const line = this.lines.line(row);
    this.pending.push(line);
    this.pendingChars += line.length;
    return this.pendingChars >= this.chunkChars;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    // join builds one flat string: no rope of ~35 pieces per line left to pin the input chunks
    // its slices come from while the chunk waits for zlib.
    const chunk = new FocusCsvText(this.pending.join(""));
    this.pending = [];
    this.pendingChars = 0;
    await this.target.write(chunk as unknown as Record<string, unknown>);
  }

  /** Flushes what is left and finishes the target. */
  async end(): Promise<void> {
    await this.flush();
    await this.target.done();
  }
}

export interface FocusCsvOptions {
  /** zlib level, 1 (fastest) to 9; default {@link FOCUS_GZIP_LEVEL}. */
  gzipLevel?: number;
}

/**
 * Level 1: these files are rewritten on every import and read by Athena, not archived. On FOCUS
 * lines (highly repetitive text) level 1 compresses at several times level 6's speed for an
 * output about a third larger (see bench/RESULTS.md), and at level 6 the compressing thread
 * alone takes longer than parsing the whole file.
 */
export const FOCUS_GZIP_LEVEL = 1;

/** Single records' lines are gathered into slices of about this size before zlib sees them. */
const BATCH_CHARS = 256 * 1024;
/**
 * How much text may wait for zlib before the stream stops taking chunks. Waiting for 'drain' after
 * every slice would serialise the main thread and the compressing thread; a few slices let them
 * overlap, and the bound keeps memory flat whatever the file size.
 */
const MAX_QUEUED_BYTES = 1024 * 1024;
/** zlib output buffer: one thread-pool job compresses a whole slice instead of 16 KiB at a time. */
const GZIP_CHUNK_BYTES = 256 * 1024;

/**
 * FocusRecord objects (or {@link FocusCsvText} chunks, see {@link FocusCsvWriter}) in, gzip CSV
 * bytes out (header once, LF line ends). Compression runs on libuv's thread pool, so it overlaps
 * with parsing on the main thread. Backpressure: a chunk is acknowledged only once zlib has taken
 * it (at most {@link MAX_QUEUED_BYTES} queued), the writable side holds at most 16 chunks, and
 * the Transform's own readable buffer stops further writes when the consumer (the S3 upload) is
 * slow.
 */
export function focusCsvStream(options: FocusCsvOptions = {}): Transform {
  return new FocusCsvGzip(options.gzipLevel ?? FOCUS_GZIP_LEVEL);
}

class FocusCsvGzip extends Transform {
  private readonly gzip: Gzip;
  private batch = FOCUS_CSV_HEADER;
  private gzipEnded: Promise<void>;

  constructor(level: number) {
    // 16 chunks: 16 records, or 16 × 256 KiB of text when the writer sends FocusCsvText.
    super({ writableObjectMode: true, writableHighWaterMark: 16 });
    this.gzip = createGzip({ level, chunkSize: GZIP_CHUNK_BYTES });
    this.gzip.on("data", (chunk: Buffer) => this.push(chunk));
    this.gzipEnded = new Promise((resolve, reject) => {
      this.gzip.once("end", resolve);
      this.gzip.once("error", reject);
    });
    this.gzipEnded.catch((error: Error) => this.destroy(error));
  }

  override _transform(
    chunk: FocusRecord | FocusCsvText,
    _encoding: BufferEncoding,
    done: TransformCallback,
  ): void {
    if (chunk instanceof FocusCsvText) {
      this.batch += chunk.text;
      this.flushBatch(done);
      return;
    }
    this.batch += focusCsvLine(chunk);
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
