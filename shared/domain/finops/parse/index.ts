import type { ConsumptionItem } from "../consumption";
import { parseCsvRowBatches } from "./csv-rows";
import { assertText, type BillingFormat, formatFromContent, formatFromKey } from "./detect";
import { parseJsonDocument } from "./json";
import { parseNdjson } from "./ndjson";
import { type ByteSource, decodeUtf8, gunzip, hasGzipMagic, peekBytes } from "./source";

export type { CsvRecord } from "./csv";
export { CsvScanner, parseCsvRecords } from "./csv";
export type { BillingFormat } from "./detect";
export type { ByteSource } from "./source";

export interface ParseBillingOptions {
  /** The object key: its extension names the format when it can. */
  key: string;
  /** ISO 4217 code for rows whose file gives no currency (a CSV without a Currency column). */
  defaultCurrency?: string;
}

const SNIFF_BYTES = 4096;

/**
 * Normalised rows of one billing object, streamed. Gzip is recognised by its magic bytes (a `.gz`
 * key whose body was already decompressed in transit still reads); the format comes from the key,
 * else from the content. Throws UnreadableBillingFile for a file that cannot be read at all; yields
 * a RowProblem for each malformed row and carries on.
 */
export async function* parseBillingObject(
  body: ByteSource,
  options: ParseBillingOptions,
): AsyncGenerator<ConsumptionItem> {
  for await (const batch of parseBillingBatches(body, options)) {
    for (const item of batch) yield item;
  }
}

/** JSON and NDJSON entries are grouped by this many: one promise per batch, not per row. */
const JSON_BATCH = 512;

/**
 * {@link parseBillingObject} in batches (CSV: ~1,000 rows; JSON/NDJSON: up to 512 entries), in
 * file order, each array handed over once and not reused. For hot loops: iterating an array costs
 * nothing, awaiting each row through async generators costs a promise round trip per row. Memory
 * stays bounded by a batch and one read chunk.
 */
export async function* parseBillingBatches(
  body: ByteSource,
  options: ParseBillingOptions,
): AsyncGenerator<ConsumptionItem[]> {
  let { head, source } = await peekBytes(body, SNIFF_BYTES);
  if (hasGzipMagic(head)) {
    ({ head, source } = await peekBytes(gunzip(source), SNIFF_BYTES));
  }
  const named = formatFromKey(options.key).format;
  if (named !== undefined) assertText(head); // refuses empty and binary content whatever the key says
  const format: BillingFormat = named ?? formatFromContent(head);
  const texts = decodeUtf8(source);
  if (format === "csv") yield* parseCsvRowBatches(texts, options.defaultCurrency);
  else if (format === "json") yield* grouped(parseJsonDocument(texts, options.defaultCurrency));
  else yield* grouped(parseNdjson(texts, options.defaultCurrency));
}

async function* grouped(items: AsyncIterable<ConsumptionItem>): AsyncGenerator<ConsumptionItem[]> {
  let batch: ConsumptionItem[] = [];
  try {
    for await (const item of items) {
      batch.push(item);
      if (batch.length >= JSON_BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    // The rows before a fatal error still come out first, as they do one by one.
    if (batch.length > 0) yield batch;
    throw error;
  }
  if (batch.length > 0) yield batch;
}
