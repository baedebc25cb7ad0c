/**
 * A copy of a string that shares no memory with the text it was cut from, for strings kept in
 * long-lived maps. Parsers hand out slices of their read chunks (V8 keeps a slice of 13+
 * characters as a view on its parent): a kept slice would pin its whole chunk, so memory would
 * grow with the file instead of with the number of distinct keys. Shorter strings are copied by
 * V8 already.
 *
 * Copies are pooled: detaching equal texts gives the same string object, so the caches that keep
 * them (aggregates, line shapes, interned row texts) compare by pointer, not character by
 * character. The pool is bounded; starting it over only costs speed, never correctness.
 */
export function detach(text: string): string {
  if (text.length < 13) return text;
  const pooled = pool.get(text);
  if (pooled !== undefined) return pooled;
  const copy = JSON.parse(JSON.stringify(text)) as string;
  if (pool.size >= POOL_LIMIT) pool.clear();
  pool.set(copy, copy);
  return copy;
}

const pool = new Map<string, string>();
const POOL_LIMIT = 100_000;
