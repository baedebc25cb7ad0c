import type { ConsumptionItem } from "../consumption";
import { parseCsvRows } from "./csv-rows";
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
  let { head, source } = await peekBytes(body, SNIFF_BYTES);
  if (hasGzipMagic(head)) {
    ({ head, source } = await peekBytes(gunzip(source), SNIFF_BYTES));
  }
  const named = formatFromKey(options.key).format;
  if (named !== undefined) assertText(head); // refuses empty and binary content whatever the key says
  const format: BillingFormat = named ?? formatFromContent(head);
  const texts = decodeUtf8(source);
  if (format === "csv") yield* parseCsvRows(texts, options.defaultCurrency);
  else if (format === "json") yield* parseJsonDocument(texts, options.defaultCurrency);
  else yield* parseNdjson(texts, options.defaultCurrency);
}
