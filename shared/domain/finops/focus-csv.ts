import { Transform, type TransformCallback } from "node:stream";
import { createGzip, type Gzip } from "node:zlib";
import type { ConsumptionRow } from "./consumption";
import { ByteChunkPool, CsvBytes, csvField, worstFieldBytes } from "./csv-bytes";
import { calendarMonthOf } from "./dates";
import type { NanoAmount } from "./decimal";
import { classifyService, FOCUS_COLUMNS, type FocusContext, type FocusRecord, regionIdLength } from "./focus";
import { ByTextsKey } from "./row-texts";
import { detach } from "./text";

export const FOCUS_CSV_HEADER = `${FOCUS_COLUMNS.join(",")}\n`;

/**
 * The CSV line of one FocusRecord, in its plain form: what FocusCsvEncoder writes as bytes for the
 * row the record comes from (its tests hold the two equal).
 */
export function focusCsvLine(record: FocusRecord): string {
  return `${FOCUS_COLUMNS.map((column) => csvField(record[column])).join(",")}\n`;
}

const ascii = (text: string) => Buffer.from(text, "latin1");
const COMMA = 44;
/**
 * Bytes of a line besides its descriptive part, at most: seven figures (a decimal has at most 40
 * digits, a sign and a point), four dates (27 characters for a year past 9999) and commas.
 */
const FIGURES_BYTES = 1024;
/** Distinct resources whose line shapes are kept; beyond, the cache starts over (bounded memory). */
const MAX_SHAPED_RESOURCES = 20_000;
/** Shapes kept per resource (a resource billed under several meters has one per meter). */
const SHAPES_PER_RESOURCE = 4;
const MAX_CACHED_DATES = 4096;

/**
 * The descriptive part of a FOCUS line (",AvailabilityZone,…,x_Operation\n": everything after
 * ListUnitPrice), which depends only on a row's texts: encoded once per resource and meter.
 */
interface LineShape {
  /** The row texts it was built from (pooled copies: see detach). */
  readonly texts: readonly (string | undefined)[];
  /** texts[2], at hand. */
  readonly currency: string;
  readonly bytes: Buffer;
  /** The last unit price written with it, and that price followed by `bytes`. */
  unitPrice?: NanoAmount;
  tail?: Buffer;
}

/** The texts a shape depends on, in a fixed order. */
const shapeTexts = (row: ConsumptionRow) => [
  row.subregionName,
  row.payingAccountId,
  row.currency,
  row.title,
  row.type,
  row.resourceId,
  row.service,
  row.category,
  row.accountId,
  row.operation,
];

/** Pointer checks when the row's texts are the pooled ones (the CSV fast path interns them). */
function sameTexts(shape: LineShape, row: ConsumptionRow): boolean {
  const texts = shape.texts;
  return (
    texts[0] === row.subregionName &&
    texts[1] === row.payingAccountId &&
    texts[2] === row.currency &&
    texts[3] === row.title &&
    texts[4] === row.type &&
    texts[5] === row.resourceId &&
    texts[6] === row.service &&
    texts[7] === row.category &&
    texts[8] === row.accountId &&
    texts[9] === row.operation
  );
}

/**
 * Writes the CSV line of one row as bytes, exactly `focusCsvLine(toFocusRecord(row, context))`
 * in UTF-8 (a unit test holds them equal), straight from the row: no 35-property record and no
 * string per row. The figures are written as digits, once each, and repeated where FOCUS repeats
 * them; the dates come from a cache of encoded date pairs; the descriptive part is one copy of a
 * cached {@link LineShape}.
 */
export class FocusCsvEncoder {
  private readonly accountName: Buffer;
  private readonly credentialId: Buffer;
  private readonly shapes = new Map<string, LineShape[]>();
  /** The shape of the last row with those texts. */
  private readonly shapeByTexts = new ByTextsKey<LineShape>();
  /** "BillingPeriodEnd,BillingPeriodStart,ChargePeriodEnd,ChargePeriodStart," by FromDate, then ToDate. */
  private readonly periods = new Map<string, Map<string, Buffer>>();
  private periodCount = 0;
  private lastFromDate = "";
  private lastToDate = "";
  private lastPeriod: Buffer = Buffer.alloc(0);
  /** "ServiceCategory,ServiceName,ServiceSubcategory" by service, then category. */
  private readonly serviceClasses = new Map<string, Map<string, string>>();

  constructor(context: FocusContext) {
    this.accountName = Buffer.from(csvField(context.billingAccountName ?? null));
    this.credentialId = Buffer.from(csvField(context.credentialId));
  }

  /**
   * Writes the row's line. When it might not fit in `out`'s buffer, writing goes on in a new one
   * and the full one is returned, for the caller to hand over.
   */
  write(row: ConsumptionRow, out: CsvBytes): Buffer | undefined {
    const tail = this.tailOf(this.shapeOf(row), row.unitPrice);
    const full = out.reserve(FIGURES_BYTES + tail.length);
    // BilledCost,ContractedCost,EffectiveCost,ListCost: one cost, four times.
    const costStart = out.length;
    if (row.price !== undefined) out.nano(row.price);
    out.char(COMMA);
    out.repeat(costStart, out.length, 3);
    // ConsumedQuantity,PricingQuantity
    const quantityStart = out.length;
    out.nano(row.quantity);
    out.char(COMMA);
    out.repeat(quantityStart, out.length, 1);
    out.bytes(this.periodOf(row.fromDate, row.toDate));
    out.bytes(tail);
    return full;
  }

  /** "ListUnitPrice,AvailabilityZone,…,x_Operation\n": the unit price is nearly always the meter's. */
  private tailOf(shape: LineShape, unitPrice: NanoAmount | undefined): Buffer {
    if (shape.tail !== undefined && shape.unitPrice === unitPrice) return shape.tail;
    const out = new CsvBytes(FIGURES_BYTES + shape.bytes.length);
    if (unitPrice !== undefined) out.nano(unitPrice);
    out.bytes(shape.bytes);
    shape.unitPrice = unitPrice;
    shape.tail = Buffer.from(out.take());
    return shape.tail;
  }

  /**
   * "BillingPeriodEnd,BillingPeriodStart,ChargePeriodEnd,ChargePeriodStart," of a row. Dates come
   * from the date cache: mostly the same strings.
   */
  private periodOf(fromDate: string, toDate: string): Buffer {
    if (fromDate === this.lastFromDate && toDate === this.lastToDate) return this.lastPeriod;
    let byToDate = this.periods.get(fromDate);
    let bytes = byToDate?.get(toDate);
    if (bytes === undefined) {
      if (this.periodCount >= MAX_CACHED_DATES) {
        this.periods.clear();
        this.periodCount = 0;
        byToDate = undefined;
      }
      if (byToDate === undefined) {
        byToDate = new Map();
        this.periods.set(detach(fromDate), byToDate);
      }
      const month = calendarMonthOf(fromDate);
      bytes = ascii(`${month.end},${month.start},${toDate},${fromDate},`);
      byToDate.set(detach(toDate), bytes);
      this.periodCount++;
    }
    this.lastFromDate = fromDate;
    this.lastToDate = toDate;
    this.lastPeriod = bytes;
    return bytes;
  }

  private shapeOf(row: ConsumptionRow): LineShape {
    const textsKey = row.textsKey;
    if (textsKey === undefined) return this.lookUpShape(row);
    // Rows with the same TextsKey have the same texts: only the currency can differ.
    const known = this.shapeByTexts.get(textsKey);
    if (known !== undefined && known.currency === row.currency) return known;
    const shape = this.lookUpShape(row);
    this.shapeByTexts.set(textsKey, shape);
    return shape;
  }

  private lookUpShape(row: ConsumptionRow): LineShape {
    const resource = row.resourceId ?? "";
    let shapes = this.shapes.get(resource);
    if (shapes !== undefined) {
      for (let index = 0; index < shapes.length; index++) {
        if (sameTexts(shapes[index]!, row)) return shapes[index]!;
      }
    } else {
      if (this.shapes.size >= MAX_SHAPED_RESOURCES) this.shapes.clear();
      shapes = [];
      this.shapes.set(detach(resource), shapes);
    }
    const texts = shapeTexts(row).map((text) => (text === undefined ? undefined : detach(text)));
    const shape: LineShape = {
      texts,
      currency: texts[2]!,
      bytes: this.encodeShape(row),
    };
    if (shapes.length >= SHAPES_PER_RESOURCE) shapes.shift();
    shapes.push(shape);
    return shape;
  }

  private encodeShape(row: ConsumptionRow): Buffer {
    const out = new CsvBytes(
      worstFieldBytes(shapeCharacters(row)) + this.accountName.length + this.credentialId.length + 256,
    );
    const subregion = row.subregionName;
    const region = subregion === undefined ? undefined : subregion.slice(0, regionIdLength(subregion));
    out.char(COMMA);
    if (subregion !== undefined) out.field(subregion);
    out.char(COMMA);
    out.field(row.payingAccountId);
    out.char(COMMA);
    out.bytes(this.accountName);
    out.char(COMMA);
    out.text(row.currency);
    out.text(",Usage,,");
    out.field(row.title);
    out.text(",Usage-Based,");
    out.field(row.type);
    out.text(",OUTSCALE,");
    out.field(row.type);
    out.text(",OUTSCALE,OUTSCALE,");
    if (region !== undefined) out.field(region);
    out.char(COMMA);
    if (region !== undefined) out.field(region);
    out.char(COMMA);
    if (row.resourceId !== undefined) out.field(row.resourceId);
    out.char(COMMA);
    out.text(this.serviceClass(row.service, row.category));
    out.char(COMMA);
    out.field(row.type);
    out.char(COMMA);
    out.field(row.accountId);
    out.char(COMMA);
    out.field(row.category);
    out.char(COMMA);
    out.bytes(this.credentialId);
    out.char(COMMA);
    out.field(row.operation);
    out.char(10);
    return Buffer.from(out.take());
  }

  private serviceClass(service: string, category: string): string {
    let byCategory = this.serviceClasses.get(service);
    let text = byCategory?.get(category);
    if (text !== undefined) return text;
    const { category: serviceCategory, subcategory } = classifyService(service, category);
    text = `${serviceCategory},${csvField(service)},${subcategory}`;
    if (byCategory === undefined) {
      if (this.serviceClasses.size >= 1024) this.serviceClasses.clear();
      byCategory = new Map();
      this.serviceClasses.set(detach(service), byCategory);
    }
    if (byCategory.size < 1024) byCategory.set(detach(category), text);
    return text;
  }
}

/** Characters of a row's texts as a line uses them (some twice or three times). */
function shapeCharacters(row: ConsumptionRow): number {
  return (
    3 * (row.subregionName?.length ?? 0) +
    row.payingAccountId.length +
    row.currency.length +
    row.title.length +
    3 * row.type.length +
    (row.resourceId?.length ?? 0) +
    row.service.length +
    2 * row.category.length +
    row.accountId.length +
    row.operation.length +
    64 // the service class's fixed words
  );
}

/** Where {@link FocusCsvWriter} sends its chunks: what the import's FocusFileSink opens. */
export interface FocusCsvTarget {
  /** A slice of FOCUS CSV, UTF-8 (no header; a slice may end mid-line, the next goes on). */
  write(chunk: Uint8Array): Promise<void>;
  done(): Promise<void>;
}

/**
 * About this many bytes of CSV are handed to the stream per write. zlib compresses a write in one
 * thread-pool job and starts the next only from a callback on the main thread, which is busy with
 * a parse batch in between: chunks of 256 KiB left zlib a job behind per batch (the main thread
 * then sat idle ~12% of the import waiting for it); 1 MiB chunks keep it ahead.
 */
const WRITER_CHUNK_BYTES = 1024 * 1024;
/** Room above the chunk size, so a usual line always fits without starting a new buffer. */
const WRITER_SLACK_BYTES = 16 * 1024;

/**
 * Chunk buffers shared by the writers and focusCsvStream, which hands each back once zlib has
 * consumed it: a few MiB reused all along an import. (A few imports run at once at most.)
 */
const chunkPool = new ByteChunkPool(WRITER_CHUNK_BYTES + WRITER_SLACK_BYTES, 16);

/**
 * Rows in, large byte chunks out: `add` writes the row's CSV line and says when a chunk is full;
 * then `await flush()` hands it to the target (whose promise honours the stream's backpressure).
 * One write per ~2,400 rows (1 MiB) instead of one per row, and no FocusRecord object or string
 * per row.
 *
 *   const writer = new FocusCsvWriter(file, { credentialId });
 *   for (const row of batch) if (writer.add(row)) await writer.flush();
 *   await writer.end(); // flushes the rest, then file.done()
 */
export class FocusCsvWriter {
  private readonly encoder: FocusCsvEncoder;
  private readonly out: CsvBytes;
  /** Chunks set aside when a line might not fit in the current one (handed over by flush). */
  private readonly ready: Buffer[] = [];

  constructor(
    private readonly target: FocusCsvTarget,
    context: FocusContext,
    private readonly chunkBytes = WRITER_CHUNK_BYTES,
  ) {
    this.encoder = new FocusCsvEncoder(context);
    const capacity = chunkBytes + WRITER_SLACK_BYTES;
    this.out = new CsvBytes(capacity, capacity === chunkPool.size ? chunkPool : undefined);
  }

  /** Appends one row; true when a chunk is ready and `flush()` should be awaited before more. */
  add(row: ConsumptionRow): boolean {
    const full = this.encoder.write(row, this.out);
    if (full !== undefined) this.ready.push(full);
    return this.ready.length > 0 || this.out.length >= this.chunkBytes;
  }

  async flush(): Promise<void> {
    while (this.ready.length > 0) await this.target.write(this.ready.shift()!);
    if (this.out.length > 0) await this.target.write(this.out.take());
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

/**
 * How many bytes may wait for zlib before the stream stops taking chunks. Waiting for 'drain' after
 * every chunk would serialise the main thread and the compressing thread; a little queue lets them
 * overlap, and the bound keeps memory flat whatever the file size.
 */
const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
/** zlib output buffer: one thread-pool job compresses a whole slice instead of 16 KiB at a time. */
const GZIP_CHUNK_BYTES = 256 * 1024;

/**
 * FOCUS CSV byte chunks (from {@link FocusCsvWriter}) in, gzip CSV bytes out, the header first.
 * Compression runs on libuv's thread pool, so it overlaps with parsing on the main thread.
 * Backpressure: a chunk is acknowledged only once zlib has taken it (at most
 * {@link MAX_QUEUED_BYTES} queued), the writable side holds at most 4 chunks, and the Transform's
 * own readable buffer stops further writes when the consumer (the S3 upload) is slow.
 */
export function focusCsvStream(options: FocusCsvOptions = {}): Transform {
  return new FocusCsvGzip(options.gzipLevel ?? FOCUS_GZIP_LEVEL);
}

class FocusCsvGzip extends Transform {
  private readonly gzip: Gzip;
  private gzipEnded: Promise<void>;

  constructor(level: number) {
    // 4 chunks of up to 1 MiB each.
    super({ writableObjectMode: true, writableHighWaterMark: 4 });
    this.gzip = createGzip({ level, chunkSize: GZIP_CHUNK_BYTES });
    this.gzip.on("data", (chunk: Buffer) => this.push(chunk));
    this.gzipEnded = new Promise((resolve, reject) => {
      this.gzip.once("end", resolve);
      this.gzip.once("error", reject);
    });
    this.gzipEnded.catch((error: Error) => this.destroy(error));
    this.gzip.write(FOCUS_CSV_HEADER);
  }

  override _transform(chunk: Uint8Array, _encoding: BufferEncoding, done: TransformCallback): void {
    // Once zlib has consumed the chunk, its buffer can take the writer's next lines.
    this.gzip.write(chunk, () => chunkPool.release(chunk));
    this.whenRoom(done);
  }

  override _flush(done: TransformCallback): void {
    this.gzip.end();
    this.gzipEnded.then(() => done(), done);
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void): void {
    this.gzip.destroy();
    done(error);
  }

  private whenRoom(done: () => void): void {
    if (this.gzip.writableLength < MAX_QUEUED_BYTES) done();
    else this.gzip.once("drain", done);
  }
}
