import {
  type ConsumptionItem,
  canonicalFieldName,
  csvRowNormaliser,
  REQUIRED_SOURCE_FIELDS,
  type SourceField,
} from "../consumption";
import { UnreadableBillingFile } from "../errors";
import { type CsvRecord, CsvScanner } from "./csv";

/** Column index → canonical field, resolved once from the header. */
export function resolveCsvHeader(header: string[]): (SourceField | undefined)[] {
  const seen = new Set<SourceField>();
  const columns = header.map((name) => {
    const field = canonicalFieldName(name);
    // A repeated column keeps its first occurrence: later ones would silently overwrite it.
    if (field === undefined || seen.has(field)) return undefined;
    seen.add(field);
    return field;
  });
  const missing = REQUIRED_SOURCE_FIELDS.filter((field) => !seen.has(field));
  if (missing.length > 0) {
    throw new UnreadableBillingFile(`the CSV header lacks the required column(s) ${missing.join(", ")}`);
  }
  return columns;
}

/**
 * Normalised rows of a consumption CSV (text chunks in), one array per text chunk; the header is
 * the first record. Batches keep the per-row cost to plain function calls: no promise per row.
 */
export async function* parseCsvRowBatches(
  texts: AsyncIterable<string>,
  defaultCurrency?: string,
): AsyncGenerator<ConsumptionItem[]> {
  const scanner = new CsvScanner();
  const records: CsvRecord[] = [];
  let columns: (SourceField | undefined)[] | undefined;
  let normalise: ReturnType<typeof csvRowNormaliser> | undefined;
  // Text pieces are small (see decodeUtf8): their rows are gathered into batches of about
  // BATCH_ROWS, so the consumer's loop awaits once per batch, not once per piece.
  let items: ConsumptionItem[] = [];
  const convert = (): void => {
    for (let index = 0; index < records.length; index++) {
      const record = records[index]!;
      if (columns === undefined || normalise === undefined) {
        columns = resolveCsvHeader(record.fields.map((name) => name.trim()));
        normalise = csvRowNormaliser(columns, defaultCurrency);
      } else if (record.fields.length > columns.length) {
        items.push({
          kind: "problem",
          line: record.line,
          message: `the record has ${record.fields.length} fields but the header has ${columns.length}`,
        });
      } else {
        items.push(normalise(record.fields, record.line, record.text));
      }
    }
    records.length = 0;
  };
  try {
    for await (const text of texts) {
      scanner.push(text, records);
      convert();
      if (items.length >= BATCH_ROWS) {
        yield items;
        items = [];
      }
    }
    scanner.end(records);
    convert();
  } catch (error) {
    // The rows before a fatal error still come out first.
    if (items.length > 0) yield items;
    throw error;
  }
  if (items.length > 0) yield items;
  if (columns === undefined) throw new UnreadableBillingFile("the CSV file has no header row");
}

const BATCH_ROWS = 1000;

/** Normalised rows of a consumption CSV (text chunks in); the header is the first record. */
export async function* parseCsvRows(
  texts: AsyncIterable<string>,
  defaultCurrency?: string,
): AsyncGenerator<ConsumptionItem> {
  for await (const batch of parseCsvRowBatches(texts, defaultCurrency)) {
    for (const item of batch) yield item;
  }
}
