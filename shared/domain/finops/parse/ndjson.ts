import { type ConsumptionItem, normaliseRecord } from "../consumption";
import { UnreadableBillingFile } from "../errors";
import { parseJsonKeepingNumberText } from "./json-reader";

const MAX_LINE_CHARS = 16 * 1024 * 1024;

/**
 * One JSON object per line (NDJSON / JSON Lines), blank lines skipped; a row's line is its
 * physical line. A bad line is a RowProblem, except the first non-blank one: a file that does not
 * start with a JSON object is not NDJSON at all.
 */
export async function* parseNdjson(
  texts: AsyncIterable<string>,
  defaultCurrency?: string,
): AsyncGenerator<ConsumptionItem> {
  let pending = "";
  let lineNumber = 0;
  let sawObject = false;
  const toItem = (rawLine: string): ConsumptionItem | undefined => {
    lineNumber++;
    const text = rawLine.trim();
    if (text.length === 0) return undefined;
    let value: unknown;
    try {
      value = parseJsonKeepingNumberText(text);
    } catch {
      value = undefined;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      if (!sawObject) throw new UnreadableBillingFile(`NDJSON line ${lineNumber} is not a JSON object`);
      return { kind: "problem", line: lineNumber, message: "the line is not a JSON object" };
    }
    sawObject = true;
    return normaliseRecord(value as Record<string, unknown>, lineNumber, defaultCurrency);
  };
  for await (const text of texts) {
    const buffer = pending.length === 0 ? text : pending + text;
    let start = 0;
    for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n", start)) {
      const item = toItem(buffer.slice(start, end));
      start = end + 1;
      if (item !== undefined) yield item;
    }
    pending = buffer.slice(start);
    if (pending.length > MAX_LINE_CHARS) throw new UnreadableBillingFile("an NDJSON line exceeds 16 MiB");
  }
  const last = toItem(pending);
  if (last !== undefined) yield last;
}
