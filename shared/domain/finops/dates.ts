import { detach } from "./text";

/**
 * Dates as OUTSCALE exports write them, normalised to ISO 8601 UTC with milliseconds
 * ("2023-06-01T00:00:00.000Z"). Accepted: "2023-06-01T00:00:00.000+0000" (offset without colon,
 * as the API answers), "+00:00", "Z", a date alone ("2023-06-01", midnight UTC), and a date-time
 * without an offset, which is read as UTC (OUTSCALE always bills in UTC).
 */
const DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Exports repeat the same few dates on every row: a small cache skips the regex and Date work. */
const cache = new Map<string, string | null>();
const CACHE_LIMIT = 4096;

/** The UTC ISO string for a date text, or `undefined` when it is not a valid date. */
export function toUtcIso(text: string): string | undefined {
  const cached = cache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const iso = parseUtcIso(text.trim());
  if (cache.size >= CACHE_LIMIT) cache.clear();
  // The key is usually a slice of a parser's read chunk: copy it so the cache pins no chunk.
  cache.set(detach(text), iso ?? null);
  return iso;
}

function parseUtcIso(text: string): string | undefined {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", offset] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  const milliseconds = Number(fraction.padEnd(3, "0").slice(0, 3));
  const local = Date.UTC(y, mo - 1, d, h, mi, s, milliseconds);
  const check = new Date(local);
  // Date.UTC silently rolls 2023-02-30 over to March: compare the fields back to refuse it.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(local - offsetMinutes(offset) * 60_000).toISOString();
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === "Z") return 0;
  const digits = offset.replace(":", "");
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits.startsWith("-") ? -minutes : minutes;
}

/** First instant of the calendar month (UTC) of an ISO string, and of the month after. */
export function calendarMonthOf(iso: string): { start: string; end: string } {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return {
    start: `${iso.slice(0, 7)}-01T00:00:00.000Z`,
    end: `${String(nextYear).padStart(4, "0")}-${String(nextMonth).padStart(2, "0")}-01T00:00:00.000Z`,
  };
}
