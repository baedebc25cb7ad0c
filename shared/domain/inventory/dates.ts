// Date and time, optional fraction, then Z, ±HH:MM, ±HHMM (OUTSCALE's `+0000`) or ±HH; no zone means UTC.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Provider dates to ISO 8601 UTC, leniently: `2023-06-01T00:00:00.000+0000`, ISO with `Z` or an
 * offset, a bare date, or epoch milliseconds (Clever Cloud). Anything else, or an impossible
 * calendar date, gives null rather than a wrong date.
 */
export function parseProviderDate(value: unknown): string | null {
  if (typeof value === "number") return fromEpochMs(value);
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (/^\d{12,14}$/.test(text)) return fromEpochMs(Number(text));
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "", zone = "Z"] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const millis = fraction.padEnd(3, "0").slice(0, 3);
  const offset = zone.toUpperCase() === "Z" ? "Z" : normaliseOffset(zone);
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

function fromEpochMs(value: number): string | null {
  // Year 1970 to 9999: anything outside is not a creation date.
  if (!Number.isFinite(value) || value < 0 || value > 253_402_300_799_999) return null;
  return new Date(value).toISOString();
}

/** `+0000` → `+00:00`, `+01` → `+01:00`. */
function normaliseOffset(zone: string): string {
  const digits = zone.slice(1).replace(":", "");
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4).padEnd(2, "0")}`;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
