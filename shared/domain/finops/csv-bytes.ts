import { formatDecimal, type NanoAmount } from "./decimal";

/**
 * CSV written straight into a byte buffer: no string per line, no join, no UTF-8 conversion of a
 * large string afterwards. Fields are copied a character at a time while they are plain ASCII
 * (what ids, dates and decimals nearly always are); anything else (a character above 127, or one
 * that needs quoting) is rewritten through the general path.
 *
 * The caller reserves room before writing a line (`reserve`); the methods themselves never check
 * bounds, as a Buffer silently drops writes past its end.
 */

/** Characters that make a CSV field need quotes (see {@link csvField}). */
const NEEDS_QUOTES_CODE = new Uint8Array(128);
for (const code of [10, 13, 34, 44, 92]) NEEDS_QUOTES_CODE[code] = 1;
const NEEDS_QUOTES = /[",\r\n\\]/;

/**
 * One CSV field, quoted only when it holds a comma, a quote or a line break. Athena reads these
 * files with OpenCSVSerde, which takes one record per line and `\` as its escape character: line
 * breaks inside a field become spaces, and a backslash is doubled so it reads back as itself.
 */
export function csvField(value: string | null): string {
  if (value === null) return "";
  if (!NEEDS_QUOTES.test(value)) return value;
  const flat = value
    .replace(/\r\n|\r|\n/g, " ")
    .replaceAll("\\", "\\\\")
    .replaceAll('"', '""');
  return `"${flat}"`;
}

/** Bytes a field of `characters` UTF-16 units can take at worst: 3 per unit, doubled quotes, 2 quotes. */
export const worstFieldBytes = (characters: number) => characters * 6 + 2;

/**
 * Buffers of one size, handed back once their bytes are consumed and reused for the next chunks:
 * memory stays put instead of waiting for the garbage collector to free each buffer (external
 * memory is collected lazily, so RSS would wander with the file's size). A buffer is only taken
 * back if it came from this pool and is out; one not handed back is simply collected.
 */
export class ByteChunkPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly out = new WeakSet<ArrayBuffer>();

  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  acquire(): Buffer {
    const reused = this.free.pop();
    const buffer = reused === undefined ? Buffer.allocUnsafeSlow(this.size) : Buffer.from(reused);
    this.out.add(buffer.buffer);
    return buffer;
  }

  /** Hands back the buffer under `chunk` (any view of it); its bytes must not be read again. */
  release(chunk: Uint8Array): void {
    const buffer = chunk.buffer;
    if (!(buffer instanceof ArrayBuffer) || !this.out.delete(buffer)) return;
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}

export class CsvBytes {
  private buffer: Buffer;
  /** Bytes written so far. */
  length = 0;

  /** `pool`: where buffers of `capacity` bytes come from (see ByteChunkPool); else allocated. */
  constructor(
    private readonly capacity: number,
    private readonly pool?: ByteChunkPool,
  ) {
    this.buffer = this.newBuffer();
  }

  private newBuffer(): Buffer {
    return this.pool?.size === this.capacity ? this.pool.acquire() : Buffer.allocUnsafeSlow(this.capacity);
  }

  /**
   * Makes sure `bound` more bytes fit; when they do not, the bytes written so far are returned
   * (for the caller to hand over) and writing starts again in a new buffer.
   */
  reserve(bound: number): Buffer | undefined {
    if (this.length + bound <= this.buffer.length) return undefined;
    const full = this.length === 0 ? undefined : this.take();
    if (bound > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(Math.max(bound, this.capacity));
    return full;
  }

  /** The bytes written so far; writing continues in a new buffer. */
  take(): Buffer {
    const full = this.buffer.subarray(0, this.length);
    this.buffer = this.newBuffer();
    this.length = 0;
    return full;
  }

  /** Text as it is, UTF-8. */
  text(value: string): void {
    const bytes = this.buffer;
    const start = this.length;
    let position = start;
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code > 127) {
        this.length = start + bytes.write(value, start, "utf8");
        return;
      }
      bytes[position++] = code;
    }
    this.length = position;
  }

  /** One CSV field: as it is when it needs no quotes, else as {@link csvField} writes it. */
  field(value: string): void {
    const bytes = this.buffer;
    const start = this.length;
    let position = start;
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code > 127 || NEEDS_QUOTES_CODE[code] === 1) {
        this.length = start;
        this.text(csvField(value));
        return;
      }
      bytes[position++] = code;
    }
    this.length = position;
  }

  /** Pre-encoded bytes (constants, cached parts of lines). */
  bytes(source: Uint8Array): void {
    this.buffer.set(source, this.length);
    this.length += source.length;
  }

  /** One ASCII character. */
  char(code: number): void {
    this.buffer[this.length++] = code;
  }

  /** Repeats bytes already written, [from, to) of this buffer, `times` times at the end. */
  repeat(from: number, to: number, times: number): void {
    const bytes = this.buffer;
    let position = this.length;
    for (let time = 0; time < times; time++) {
      for (let index = from; index < to; index++) bytes[position++] = bytes[index]!;
    }
    this.length = position;
  }

  /**
   * A nano-unit amount as its shortest decimal ("0.3", "-12", "0.000000001"), the digits written
   * directly; equal to formatDecimal (a unit test holds them equal).
   */
  nano(value: NanoAmount): void {
    if (typeof value === "bigint" && (value > MAX_SAFE_NANO || value < -MAX_SAFE_NANO)) {
      this.text(formatDecimal(value));
      return;
    }
    let nano = Number(value);
    const bytes = this.buffer;
    if (nano < 0) {
      bytes[this.length++] = 45; // -
      nano = -nano;
    }
    // Below 2^53 nano-units both parts fit int32: units < 9,007,200 and fraction < 10^9.
    let units = Math.floor(nano / 1e9);
    let fraction = nano - units * 1e9; // exact: both terms are integers below 2^53
    if (fraction < 0) {
      units--;
      fraction += 1e9;
    }
    this.digits(units | 0, digitCount(units));
    let rest = fraction | 0;
    if (rest === 0) return;
    let places = 9;
    while (rest % 10 === 0) {
      rest = (rest / 10) | 0;
      places--;
    }
    bytes[this.length++] = 46; // .
    this.digits(rest, places);
  }

  /** A non-negative int32 in exactly `count` decimal digits (leading zeros where it is shorter). */
  private digits(value: number, count: number): void {
    const bytes = this.buffer;
    const end = this.length + count;
    let rest = value;
    for (let position = end - 1; position >= this.length; position--) {
      const next = (rest / 10) | 0;
      bytes[position] = 48 + rest - next * 10;
      rest = next;
    }
    this.length = end;
  }
}

/** How many decimal digits a non-negative int32 has. */
function digitCount(value: number): number {
  let count = 1;
  for (let bound = 10; value >= bound && count < 10; bound *= 10) count++;
  return count;
}

const MAX_SAFE_NANO = BigInt(Number.MAX_SAFE_INTEGER);
