/**
 * Exact decimal arithmetic for money and quantities, without floats.
 *
 * A value is a `bigint` counting nano-units (10^-9): "0.1" is 100_000_000n. Nine places hold every
 * OUTSCALE unit price seen so far; a source with more digits is rounded half-even at the ninth
 * place (unbiased, so rounding errors do not drift in one direction when millions of rows add up).
 * Sums are exact: adding bigints never rounds.
 */
export type Nano = bigint;

export const NANO_DIGITS = 9;
const NANO_PER_UNIT = 1_000_000_000n;
const NANO_PER_CENT = 10_000_000n;

/** Plain decimals ("12", "-0.5", ".25", "3.") and exponent forms ("1e-3", "2.5E+2"); no commas. */
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
/** Beyond 10^30 units a figure is garbage, not money; refusing it also bounds the work per value. */
const MAX_SCALED_DIGITS = 40;

/**
 * A nano-unit amount as parsed rows carry it: a number while it is a safe integer (exact, and no
 * allocation per value), else a bigint. Every function taking one accepts either form.
 */
export type NanoAmount = number | bigint;

/** Parses a decimal string into a nano-unit amount (see NanoAmount), or `undefined`. */
export function parseNanoAmount(text: string): NanoAmount | undefined {
  const safe = parseSafePlainDecimal(text);
  if (safe !== undefined) return safe;
  const value = parseDecimal(text);
  if (value === undefined) return undefined;
  return value <= MAX_SAFE_NANO && value >= -MAX_SAFE_NANO ? Number(value) : value;
}

/** A nano-unit amount as a bigint. */
export const toNano = (amount: NanoAmount): Nano => (typeof amount === "bigint" ? amount : BigInt(amount));

/** Parses a decimal string into nano-units, or `undefined` when the text is not a decimal number. */
export function parseDecimal(text: string): Nano | undefined {
  const safe = parseSafePlainDecimal(text);
  if (safe !== undefined) return BigInt(safe);
  const match = DECIMAL_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const sign = match[1];
  const integerDigits = match[2] ?? "";
  const fractionDigits = match[3] ?? "";
  if (integerDigits.length === 0 && fractionDigits.length === 0) return undefined;
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  const digits = (integerDigits + fractionDigits).replace(/^0+(?=\d)/, "");
  // value = digits × 10^(exponent - fractionDigits.length); in nano-units shift by 9 more.
  const shift = NANO_DIGITS + exponent - fractionDigits.length;
  let scaled: bigint;
  if (shift >= 0) {
    if (digits !== "0" && digits.length + shift > MAX_SCALED_DIGITS) return undefined;
    scaled = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    if (digits.length > MAX_SCALED_DIGITS - shift) return undefined;
    scaled = divideRoundHalfEven(BigInt(digits), 10n ** BigInt(-shift));
  }
  return sign === "-" ? -scaled : scaled;
}

/**
 * Fast path for what exports nearly always hold: [-]digits[.digits] with at most 9 decimals and 15
 * digits in all, whose nano-unit value is a safe integer: that value, in double arithmetic (exact
 * below 2^53). One scan, no regex, no allocation; anything else gives undefined.
 */
function parseSafePlainDecimal(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 17) return undefined;
  const negative = text.charCodeAt(0) === 45;
  const start = negative ? 1 : 0;
  let point = -1;
  let accumulated = 0;
  for (let index = start; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46 && point === -1) point = index;
    else if (code < 48 || code > 57) return undefined;
    else accumulated = accumulated * 10 + (code - 48);
  }
  const integerLength = point === -1 ? length - start : point - start;
  const fractionLength = point === -1 ? 0 : length - point - 1;
  if (integerLength === 0 || fractionLength > NANO_DIGITS || (point !== -1 && fractionLength === 0)) {
    return undefined;
  }
  if (integerLength + fractionLength > 15) return undefined;
  const scaled = accumulated * POWERS_OF_TEN[NANO_DIGITS - fractionLength]!;
  if (scaled > Number.MAX_SAFE_INTEGER) return undefined;
  return negative && scaled !== 0 ? -scaled : scaled;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
const MAX_SAFE_NANO = BigInt(Number.MAX_SAFE_INTEGER);

/** Like {@link parseDecimal} but throws a RangeError (for trusted constants and tests). */
export function decimal(text: string): Nano {
  const value = parseDecimal(text);
  if (value === undefined) throw new RangeError("not a decimal number");
  return value;
}

export function addDecimals(...values: Nano[]): Nano {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/**
 * `sum + value` when both are numbers and the result is still a safe integer (then the double
 * addition is exact), else undefined: the caller adds in bigint instead. Running sums kept as a
 * number plus a bigint overflow allocate nothing per addition, where adding bigints allocates a new
 * bigint every time (per row, in a long import, that was most of the garbage collector's work).
 */
export function addSafeNano(sum: number, value: NanoAmount): number | undefined {
  if (typeof value !== "number") return undefined;
  const total = sum + value;
  return total <= Number.MAX_SAFE_INTEGER && total >= -Number.MAX_SAFE_INTEGER ? total : undefined;
}

/** quantity × unit price, exact to the nano-unit (the 18-place product is rounded half-even). */
export function multiplyDecimals(left: Nano, right: Nano): Nano {
  return divideRoundHalfEven(left * right, NANO_PER_UNIT);
}

/** Shortest decimal string: "0.3", "-12", "0.000000001" (never an exponent). */
export function formatDecimal(value: NanoAmount): string {
  if (typeof value === "number") return formatSafeNano(value);
  if (value <= MAX_SAFE_NANO && value >= -MAX_SAFE_NANO) return formatSafeNano(Number(value));
  const negative = value < 0n;
  // String work instead of bigint division: this runs for several columns of every row.
  const digits = (negative ? -value : value).toString().padStart(NANO_DIGITS + 1, "0");
  const units = digits.slice(0, -NANO_DIGITS);
  let fractionEnd = digits.length;
  while (fractionEnd > units.length && digits.charCodeAt(fractionEnd - 1) === 48) fractionEnd--;
  const sign = negative ? "-" : "";
  return fractionEnd === units.length
    ? `${sign}${units}`
    : `${sign}${units}.${digits.slice(units.length, fractionEnd)}`;
}

/** {@link formatDecimal} for |nano| ≤ 2^53 - 1, in double arithmetic (exact for integers there). */
function formatSafeNano(nano: number): string {
  const negative = nano < 0;
  const magnitude = negative ? -nano : nano;
  let units = Math.floor(magnitude / 1e9);
  let fraction = magnitude - units * 1e9; // exact: both terms are integers below 2^53
  if (fraction < 0) {
    // The quotient rounded up to the next integer (possible near 2^53): step back.
    units--;
    fraction += 1e9;
  }
  const sign = negative ? "-" : "";
  if (fraction === 0) return `${sign}${units}`;
  let places = NANO_DIGITS;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  return `${sign}${units}.${String(fraction).padStart(places, "0")}`;
}

/**
 * Rounds to whole cents HALF-UP (ties away from zero: 0.005 → 0.01, -0.005 → -0.01), the
 * commercial rounding invoices use. Returns a count of cents.
 */
export function toCents(value: Nano): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const cents = (magnitude + NANO_PER_CENT / 2n) / NANO_PER_CENT;
  return negative ? -cents : cents;
}

/** A count of cents as "12.34" / "-0.05". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const magnitude = negative ? -cents : cents;
  const text = `${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** numerator / divisor rounded half-even (divisor > 0). */
function divideRoundHalfEven(numerator: bigint, divisor: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / divisor;
  const twiceRemainder = (magnitude % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}
