import {
  type ConsumptionItem,
  canonicalFieldName,
  normaliseValues,
  REQUIRED_SOURCE_FIELDS,
  type SourceField,
  type SourceValues,
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

/** Normalised rows of a consumption CSV (text chunks in); the header is the first record. */
export async function* parseCsvRows(
  texts: AsyncIterable<string>,
  defaultCurrency?: string,
): AsyncGenerator<ConsumptionItem> {
  const scanner = new CsvScanner();
  const batch: CsvRecord[] = [];
  let columns: (SourceField | undefined)[] | undefined;
  const toItem = (record: CsvRecord): ConsumptionItem | undefined => {
    if (columns === undefined) {
      columns = resolveCsvHeader(record.fields.map((name) => name.trim()));
      return undefined;
    }
    if (record.fields.length > columns.length) {
      return {
        kind: "problem",
        line: record.line,
        message: `the record has ${record.fields.length} fields but the header has ${columns.length}`,
      };
    }
    const values: SourceValues = {};
    const fields = record.fields;
    for (let index = 0; index < fields.length; index++) {
      const field = columns[index];
      if (field !== undefined) values[field] = fields[index];
    }
    return normaliseValues(values, record.line, defaultCurrency);
  };
  for await (const text of texts) {
    scanner.push(text, batch);
    for (const record of batch) {
      const item = toItem(record);
      if (item !== undefined) yield item;
    }
    batch.length = 0;
  }
  scanner.end(batch);
  for (const record of batch) {
    const item = toItem(record);
    if (item !== undefined) yield item;
  }
  if (columns === undefined) throw new UnreadableBillingFile("the CSV file has no header row");
}
