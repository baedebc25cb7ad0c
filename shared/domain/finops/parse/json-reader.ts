import { UnreadableBillingFile } from "../errors";

/** One value (an array element, an object) larger than this is not a consumption entry. */
const MAX_VALUE_CHARS = 16 * 1024 * 1024;

/**
 * A small pull tokenizer over streamed JSON text. It does not build values itself: it finds where
 * the next value ends (tracking strings and nesting) and hands its raw text to JSON.parse, so only
 * one value at a time is ever held in memory and the native parser does the real work.
 */
export class JsonTextReader {
  private buffer = "";
  private position = 0;
  private finished = false;
  private readonly chunks: AsyncIterator<string>;

  constructor(texts: AsyncIterable<string>) {
    this.chunks = texts[Symbol.asyncIterator]();
  }

  /** The next non-whitespace character without consuming it; `undefined` at the end of the text. */
  async peek(): Promise<string | undefined> {
    for (;;) {
      while (this.position < this.buffer.length) {
        const code = this.buffer.charCodeAt(this.position);
        if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0xfeff)
          this.position++;
        else return this.buffer[this.position];
      }
      if (!(await this.more())) return undefined;
    }
  }

  /** Consumes one expected punctuation character (after whitespace). */
  async expect(...allowed: string[]): Promise<string> {
    const next = await this.peek();
    if (next === undefined) throw new UnreadableBillingFile("malformed JSON: the text ends early");
    if (!allowed.includes(next)) {
      throw new UnreadableBillingFile(`malformed JSON: expected ${allowed.join(" or ")}`);
    }
    this.position++;
    return next;
  }

  /** The raw text of the next complete value (object, array, string, number, literal). */
  async readValueText(): Promise<string> {
    const first = await this.peek();
    if (first === undefined) throw new UnreadableBillingFile("malformed JSON: the text ends early");
    let scanned = 0; // offset from this.position already known to be inside the value
    let depth = 0;
    let inString = false;
    for (;;) {
      const buffer = this.buffer;
      let index = this.position + scanned;
      while (index < buffer.length) {
        const code = buffer.charCodeAt(index);
        if (inString) {
          const close = buffer.indexOf('"', index);
          if (close === -1) {
            index = buffer.length;
            break;
          }
          if (isEscaped(buffer, close)) {
            index = close + 1;
            continue;
          }
          inString = false;
          index = close + 1;
          if (depth === 0) return this.take(index);
          continue;
        }
        if (code === 0x22) {
          inString = true;
          index++;
        } else if (code === 0x7b || code === 0x5b) {
          depth++;
          index++;
        } else if (code === 0x7d || code === 0x5d) {
          if (depth === 0) return this.take(index); // a scalar ended by its container's close
          depth--;
          index++;
          if (depth === 0) return this.take(index);
        } else if (depth === 0 && (code === 0x2c || code <= 0x20)) {
          return this.take(index); // a scalar ended by a comma or whitespace
        } else {
          index++;
        }
      }
      // Resume after the new chunk arrives; escapes are checked backwards over the whole buffer,
      // so a backslash at the end of the previous chunk is still seen.
      scanned = index - this.position;
      if (scanned > MAX_VALUE_CHARS) throw new UnreadableBillingFile("a JSON value exceeds 16 MiB");
      if (!(await this.more())) {
        if (depth === 0 && !inString) return this.take(this.buffer.length);
        throw new UnreadableBillingFile("malformed JSON: the text ends inside a value");
      }
    }
  }

  private take(end: number): string {
    const text = this.buffer.slice(this.position, end);
    this.position = end;
    return text;
  }

  private async more(): Promise<boolean> {
    if (this.finished) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.finished = true;
      return false;
    }
    this.buffer = this.buffer.slice(this.position) + next.value;
    this.position = 0;
    return true;
  }
}

/** A quote is escaped when an odd number of backslashes precede it. */
function isEscaped(text: string, quoteIndex: number): boolean {
  let backslashes = 0;
  for (let index = quoteIndex - 1; index >= 0 && text.charCodeAt(index) === 0x5c; index--) backslashes++;
  return backslashes % 2 === 1;
}

/** JSON.parse keeping numbers as their source text where Node offers it (exact decimals). */
export function parseJsonKeepingNumberText(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined ? context.source : value,
  );
}
