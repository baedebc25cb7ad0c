import { type ConsumptionItem, canonicalFieldName, hasOwnCurrency, normaliseRecord } from "../consumption";
import { UnreadableBillingFile } from "../errors";
import { JsonTextReader, parseJsonKeepingNumberText } from "./json-reader";

const ENTRIES_KEY = "consumptionentries";
const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");

/**
 * A ReadConsumptionAccount reply saved as JSON — `{ "ConsumptionEntries": [...], "Currency": "EUR" }`,
 * keys in any case — or a bare array of entries. Entries are streamed one by one; their line is
 * their index + 1.
 *
 * The file-level Currency may come after the array. Until it has been seen, an entry that carries
 * its own Currency is yielded at once, and an entry without one is buffered (raw) and normalised
 * at the end of the document with the file's currency (or the caller's default). For that shape
 * memory grows with the number of such entries; exports that put Currency first, or on each
 * entry, stream in constant memory. Buffered rows therefore come out after the others.
 */
export async function* parseJsonDocument(
  texts: AsyncIterable<string>,
  defaultCurrency?: string,
): AsyncGenerator<ConsumptionItem> {
  const reader = new JsonTextReader(texts);
  const first = await reader.peek();
  if (first === "[") {
    yield* readEntries(reader, () => defaultCurrency, undefined);
  } else if (first === "{") {
    yield* readDocumentObject(reader, defaultCurrency);
  } else {
    throw new UnreadableBillingFile("the JSON text is neither an object nor an array");
  }
  if ((await reader.peek()) !== undefined) {
    throw new UnreadableBillingFile("malformed JSON: there is text after the document");
  }
}

interface BufferedEntry {
  entry: Record<string, unknown>;
  line: number;
}

async function* readDocumentObject(
  reader: JsonTextReader,
  defaultCurrency: string | undefined,
): AsyncGenerator<ConsumptionItem> {
  let fileCurrency: string | undefined;
  let sawEntries = false;
  const waitingForCurrency: BufferedEntry[] = [];
  await reader.expect("{");
  if ((await reader.peek()) === "}") await reader.expect("}");
  else {
    for (;;) {
      const key = parseJsonKeepingNumberText(await reader.readValueText());
      if (typeof key !== "string")
        throw new UnreadableBillingFile("malformed JSON: an object key is not a string");
      await reader.expect(":");
      if (squash(key) === ENTRIES_KEY) {
        sawEntries = true;
        yield* readEntries(reader, () => fileCurrency, waitingForCurrency);
      } else if (canonicalFieldName(key) === "Currency") {
        const value = parseJsonKeepingNumberText(await reader.readValueText());
        if (typeof value !== "string")
          throw new UnreadableBillingFile("the file-level Currency is not a string");
        fileCurrency = value;
      } else {
        await reader.readValueText(); // other top-level keys (request echo, metadata) are skipped
      }
      if ((await reader.expect(",", "}")) === "}") break;
    }
  }
  if (!sawEntries) throw new UnreadableBillingFile("the JSON document has no ConsumptionEntries array");
  for (const { entry, line } of waitingForCurrency) {
    yield normaliseRecord(entry, line, fileCurrency ?? defaultCurrency);
  }
}

/**
 * Streams one array of entries. `currencyNow` gives the file currency known so far; when it is
 * unknown and `waiting` is given, entries without their own Currency are parked there.
 */
async function* readEntries(
  reader: JsonTextReader,
  currencyNow: () => string | undefined,
  waiting: BufferedEntry[] | undefined,
): AsyncGenerator<ConsumptionItem> {
  if ((await reader.peek()) !== "[") throw new UnreadableBillingFile("ConsumptionEntries is not an array");
  await reader.expect("[");
  if ((await reader.peek()) === "]") {
    await reader.expect("]");
    return;
  }
  for (let index = 0; ; index++) {
    const line = index + 1;
    const text = await reader.readValueText();
    let entry: unknown;
    try {
      entry = parseJsonKeepingNumberText(text);
    } catch {
      entry = undefined;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      yield { kind: "problem", line, message: "the entry is not a JSON object" };
    } else {
      const record = entry as Record<string, unknown>;
      const currency = currencyNow();
      if (currency === undefined && waiting !== undefined && !hasOwnCurrency(record)) {
        waiting.push({ entry: record, line });
      } else {
        yield normaliseRecord(record, line, currency);
      }
    }
    if ((await reader.expect(",", "]")) === "]") return;
  }
}
