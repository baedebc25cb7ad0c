import { UnreadableBillingFile } from "../errors";

export type BillingFormat = "csv" | "json" | "ndjson";

const FORMAT_BY_EXTENSION: Record<string, BillingFormat> = {
  csv: "csv",
  json: "json",
  ndjson: "ndjson",
  jsonl: "ndjson",
};

/** The format an object key names (`.csv`, `.json`, `.ndjson`, `.jsonl`, each optionally `.gz`). */
export function formatFromKey(key: string): { format?: BillingFormat; gzipped: boolean } {
  const name = key.toLowerCase();
  const gzipped = name.endsWith(".gz");
  const base = gzipped ? name.slice(0, -3) : name;
  const extension = base.slice(base.lastIndexOf(".") + 1);
  const format = base.includes(".") ? FORMAT_BY_EXTENSION[extension] : undefined;
  return format === undefined ? { gzipped } : { format, gzipped };
}

/**
 * The format from the first bytes of the (decompressed) content. `[` is a bare JSON array; `{`
 * is NDJSON when the first line is a whole object on its own and more text follows, else a JSON
 * document; printable text whose first line has a comma is CSV. Anything else is refused here,
 * and binary content (NUL bytes, invalid UTF-8) is refused whatever the key says.
 */
export function formatFromContent(head: Buffer): BillingFormat {
  assertText(head);
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const trimmed = text.trimStart();
  if (trimmed.length === 0) throw new UnreadableBillingFile("the file is empty");
  if (trimmed.startsWith("[")) return "json";
  if (trimmed.startsWith("{")) {
    const lineEnd = trimmed.indexOf("\n");
    if (lineEnd === -1) return "json";
    try {
      const firstLine = JSON.parse(trimmed.slice(0, lineEnd)) as unknown;
      return typeof firstLine === "object" && firstLine !== null && !Array.isArray(firstLine)
        ? "ndjson"
        : "json";
    } catch {
      return "json";
    }
  }
  const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? "";
  if (firstLine.includes(",")) return "csv";
  throw new UnreadableBillingFile("the content is neither CSV nor JSON");
}

/** Refuses content that is not text: NUL or other control bytes, invalid UTF-8. */
export function assertText(head: Buffer): void {
  if (head.length === 0) throw new UnreadableBillingFile("the file is empty");
  for (const byte of head) {
    const control = byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;
    if (control || byte === 0x7f) throw new UnreadableBillingFile("the content is binary, not text or gzip");
  }
  try {
    // stream: true tolerates a character cut at the end of the sample.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    throw new UnreadableBillingFile("the content is binary, not text or gzip");
  }
}
