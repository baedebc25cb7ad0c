import { UnreadableBillingFile } from "../errors";
import { type ByteSource, decodeUtf8 } from "./source";

/**
 * RFC 4180 CSV, streamed: UTF-8 BOM, CRLF or LF, quoted fields with commas, doubled quotes and
 * newlines, blank lines skipped. Lenient where RFC 4180 is strict and exporters are sloppy: a quote
 * inside an unquoted field is kept as text, and text after a closing quote is appended to the field.
 */
export interface CsvRecord {
  fields: string[];
  /** Physical line (1-based) where the record starts. */
  line: number;
  /** The record's text (without its line end) when it holds no quote: fields joined by commas. */
  text?: string;
}

/** A record longer than this is a broken file (an unterminated quote), not data: stop buffering. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * The synchronous core: feed decoded text, collect complete records. Scans with indexOf: a line
 * without any quote is split natively in one go; only lines holding a quote take the field loop.
 */
export class CsvScanner {
  private pending = "";
  private nextLine = 1;
  private atStart = true;

  push(text: string, out: CsvRecord[]): void {
    this.scan(this.pending.length === 0 ? text : this.pending + text, false, out);
  }

  end(out: CsvRecord[]): void {
    if (this.pending.length > 0) this.scan(this.pending, true, out);
  }

  private scan(input: string, final: boolean, out: CsvRecord[]): void {
    let buffer = input;
    if (this.atStart && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      this.atStart = false;
    }
    const length = buffer.length;
    let position = 0;
    let nextQuote = buffer.indexOf('"');
    while (position < length) {
      const lineEnd = buffer.indexOf("\n", position);
      if (lineEnd === -1 && !final) break;
      const end = lineEnd === -1 ? length : lineEnd;
      if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf('"', position);
      if (nextQuote === -1 || nextQuote >= end) {
        const contentEnd = end > position && buffer.charCodeAt(end - 1) === CR ? end - 1 : end;
        if (contentEnd > position) {
          const text = buffer.slice(position, contentEnd);
          out.push({ fields: text.split(","), line: this.nextLine, text });
        }
        this.nextLine++;
        position = end + 1;
        continue;
      }
      const consumed = this.scanQuoted(buffer, position, final, out);
      if (consumed === -1) break;
      position = consumed;
    }
    this.pending = position < length ? buffer.slice(position) : "";
    if (this.pending.length > MAX_RECORD_CHARS) {
      throw new UnreadableBillingFile(
        `a CSV record starting on line ${this.nextLine} exceeds ${MAX_RECORD_CHARS} characters (unterminated quote?)`,
      );
    }
    if (final && this.pending.length > 0) {
      throw new UnreadableBillingFile(`a quoted CSV field starting on line ${this.nextLine} is never closed`);
    }
  }

  /** Parses one record that contains quotes; returns the position after it, or -1 if it is incomplete. */
  private scanQuoted(buffer: string, start: number, final: boolean, out: CsvRecord[]): number {
    const fields: string[] = [];
    const length = buffer.length;
    let position = start;
    for (;;) {
      let value = "";
      if (buffer.charCodeAt(position) === QUOTE) {
        let from = position + 1;
        for (;;) {
          const close = buffer.indexOf('"', from);
          if (close === -1) return -1;
          value += buffer.slice(from, close);
          if (close + 1 >= length && !final) return -1; // cannot tell "" from a closing quote yet
          if (buffer.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
            continue;
          }
          position = close + 1;
          break;
        }
      }
      // Unquoted field, or sloppy text after a closing quote: up to the next comma or line end.
      let stop = position;
      while (stop < length) {
        const code = buffer.charCodeAt(stop);
        if (code === COMMA || code === LF) break;
        stop++;
      }
      if (stop === length && !final) return -1;
      let tail = buffer.slice(position, stop);
      if (stop < length && buffer.charCodeAt(stop) === LF && tail.endsWith("\r")) tail = tail.slice(0, -1);
      if (stop === length && tail.endsWith("\r")) tail = tail.slice(0, -1);
      fields.push(value + tail);
      position = stop + 1;
      if (stop >= length || buffer.charCodeAt(stop) === LF) break;
    }
    out.push({ fields, line: this.nextLine });
    this.nextLine += countNewlines(buffer, start, Math.min(position, length)) + (position > length ? 1 : 0);
    return Math.min(position, length);
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  let index = text.indexOf("\n", from);
  while (index !== -1 && index < to) {
    count++;
    index = text.indexOf("\n", index + 1);
  }
  return count;
}

/** Records one at a time, the header included (the first record). */
export async function* parseCsvRecords(source: ByteSource): AsyncGenerator<CsvRecord> {
  const scanner = new CsvScanner();
  const batch: CsvRecord[] = [];
  for await (const text of decodeUtf8(source)) {
    scanner.push(text, batch);
    for (const record of batch) yield record;
    batch.length = 0;
  }
  scanner.end(batch);
  yield* batch;
}
