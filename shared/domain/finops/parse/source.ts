import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { UnreadableBillingFile } from "../errors";

/** What the parsers read: a Node Readable (an S3 body, a file stream) or any async byte iterable. */
export type ByteSource = AsyncIterable<Uint8Array | string>;

const toBytes = (chunk: Uint8Array | string): Uint8Array =>
  typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;

/**
 * Bytes decoded into one string at most. V8 keeps strings over ~128 KB in its large-object space,
 * which only a full collection frees: decoding 256 KiB read chunks whole made the parser ~25%
 * slower and let memory grow with the file (a 4M-row import peaked ~30% above a 1M-row one).
 * Pieces of 64 KiB stay in the young generation and are reclaimed as fast as they are made.
 */
const DECODE_PIECE_BYTES = 64 * 1024;

/**
 * UTF-8 text chunks (of at most DECODE_PIECE_BYTES each), decoded incrementally (a character
 * split across two chunks is joined). Invalid UTF-8 makes the file unreadable rather than silently
 * producing U+FFFD in ids and prices.
 */
export async function* decodeUtf8(source: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    for await (const chunk of source) {
      const bytes = toBytes(chunk);
      for (let start = 0; start < bytes.length; start += DECODE_PIECE_BYTES) {
        const text = decoder.decode(bytes.subarray(start, start + DECODE_PIECE_BYTES), { stream: true });
        if (text.length > 0) yield text;
      }
    }
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (error instanceof TypeError && /encoded data|decode/i.test(error.message)) {
      throw new UnreadableBillingFile("the content is not UTF-8 text");
    }
    throw error;
  }
}

/** The first `size` bytes (or fewer at the end) and a source that replays them, then the rest. */
export async function peekBytes(
  source: ByteSource,
  size: number,
): Promise<{ head: Buffer; source: AsyncIterable<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let finished = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    const bytes = toBytes(next.value);
    seen.push(bytes);
    length += bytes.length;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* seen;
      if (finished) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield toBytes(next.value);
      }
    } finally {
      // Stops the underlying stream too when the consumer breaks off early.
      if (!finished) await iterator.return?.();
    }
  }
  return { head: Buffer.concat(seen).subarray(0, size), source: replay() };
}

export const hasGzipMagic = (head: Uint8Array) => head[0] === 0x1f && head[1] === 0x8b;

/** Decompresses a gzip byte source as a stream; a corrupt stream is an UnreadableBillingFile. */
export async function* gunzip(source: ByteSource): AsyncGenerator<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  const decompressor = createGunzip();
  input.on("error", (error) => decompressor.destroy(error));
  input.pipe(decompressor);
  try {
    for await (const chunk of decompressor) yield chunk as Buffer;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("Z_")) {
      throw new UnreadableBillingFile(`the gzip stream is corrupt (${(error as Error).message})`);
    }
    throw error;
  } finally {
    input.destroy();
    decompressor.destroy();
  }
}
