import { toUtcIso } from "./dates";
import { type NanoAmount, parseNanoAmount } from "./decimal";
import { RowTextsInterner, TEXT_SOURCE_FIELDS } from "./row-texts";
import { detach } from "./text";

/**
 * One OUTSCALE consumption entry (ReadConsumptionAccount's `ConsumptionEntries[]`), normalised.
 * Figures are exact nano-unit bigints (see decimal.ts): `quantity` is the source's `Value`.
 * `currency` is required: a row whose currency is given neither by the row, the file nor the
 * caller's default is a RowProblem, because a cost without a currency cannot be aggregated safely.
 */
export interface ConsumptionRow {
  kind: "row";
  /** Where the row came from (CSV: physical line of the record; JSON: entry index + 1; NDJSON: line). */
  line: number;
  accountId: string;
  payingAccountId: string;
  category: string;
  service: string;
  operation: string;
  type: string;
  title: string;
  subregionName?: string;
  resourceId?: string;
  /** ISO 8601 UTC, "2023-06-01T00:00:00.000Z"; FromDate is included, ToDate excluded. */
  fromDate: string;
  toDate: string;
  quantity: NanoAmount;
  unitPrice?: NanoAmount;
  price?: NanoAmount;
  /** ISO 4217, upper case. */
  currency: string;
  /**
   * Set by the CSV fast path: one object per distinct set of text fields (accountId through
   * resourceId) in a file, shared by every row that has them, with a small dense id. Consumers
   * use it to do per-texts work once (the aggregator's key, the FOCUS line's descriptive part):
   * rows carrying the same TextsKey object have equal text fields.
   */
  textsKey?: TextsKey;
}

/** See ConsumptionRow.textsKey. */
export interface TextsKey {
  /** 0, 1, 2, … in the order a parse first met each set of texts. */
  readonly id: number;
}

/** A row that could not be normalised. The message names the field, never its content. */
export interface RowProblem {
  kind: "problem";
  line: number;
  message: string;
}

export type ConsumptionItem = ConsumptionRow | RowProblem;

export const isRowProblem = (item: ConsumptionItem): item is RowProblem => item.kind === "problem";

/** The source fields, by their canonical OUTSCALE names. */
export const SOURCE_FIELDS = [
  ...TEXT_SOURCE_FIELDS,
  "FromDate",
  "ToDate",
  "Value",
  "UnitPrice",
  "Price",
  "Currency",
] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

/** Columns a CSV header must have; the others may be absent (OUTSCALE omits them on request). */
export const REQUIRED_SOURCE_FIELDS: readonly SourceField[] = [
  ...TEXT_SOURCE_FIELDS.filter((field) => field !== "SubregionName" && field !== "ResourceId"),
  "FromDate",
  "ToDate",
  "Value",
];

/** Source values keyed by canonical field name, as the parsers hand them over. */
export type SourceValues = Partial<Record<SourceField, unknown>>;

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");
const FIELD_BY_SQUASHED = new Map<string, SourceField>([
  ...SOURCE_FIELDS.map((field) => [squash(field), field] as const),
  ["quantity", "Value"],
]);
const fieldNameCache = new Map<string, SourceField | null>();

/** `Account_Id`, `account id` and `ACCOUNTID` all give "AccountId"; unknown names give undefined. */
export function canonicalFieldName(name: string): SourceField | undefined {
  const cached = fieldNameCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const field = FIELD_BY_SQUASHED.get(squash(name));
  // Keys come from headers and JSON keys: few distinct ones, but bound the cache anyway.
  if (fieldNameCache.size > 1000) fieldNameCache.clear();
  fieldNameCache.set(detach(name), field ?? null);
  return field;
}

/** Maps any-case keys to canonical fields, then {@link normaliseValues}. */
export function normaliseRecord(
  raw: Record<string, unknown>,
  line: number,
  fileCurrency?: string,
): ConsumptionItem {
  const values: SourceValues = {};
  for (const key in raw) {
    const field = canonicalFieldName(key);
    if (field !== undefined && values[field] === undefined) values[field] = raw[key];
  }
  return normaliseValues(values, line, fileCurrency);
}

const MAX_TEXT_LENGTH = 2048;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;

class FieldError extends Error {}

/** Validates and normalises one entry whose keys are already canonical. */
export function normaliseValues(values: SourceValues, line: number, fileCurrency?: string): ConsumptionItem {
  try {
    const fromDate = requiredDate(values, "FromDate");
    const toDate = requiredDate(values, "ToDate");
    if (toDate < fromDate) throw new FieldError("ToDate is before FromDate");
    const row: ConsumptionRow = {
      kind: "row",
      line,
      accountId: requiredText(values, "AccountId"),
      payingAccountId: requiredText(values, "PayingAccountId"),
      category: requiredText(values, "Category"),
      service: requiredText(values, "Service"),
      operation: requiredText(values, "Operation"),
      type: requiredText(values, "Type"),
      title: requiredText(values, "Title"),
      fromDate,
      toDate,
      quantity: requiredDecimal(values, "Value"),
      currency: currencyOf(values, fileCurrency),
    };
    // Optional fields are only set when present, so absent ones stay absent (not `undefined` keys).
    const subregionName = optionalText(values, "SubregionName");
    if (subregionName !== undefined) row.subregionName = subregionName;
    const resourceId = optionalText(values, "ResourceId");
    if (resourceId !== undefined) row.resourceId = resourceId;
    const unitPrice = optionalDecimal(values, "UnitPrice");
    if (unitPrice !== undefined) row.unitPrice = unitPrice;
    const price = optionalDecimal(values, "Price");
    if (price !== undefined) row.price = price;
    return row;
  } catch (error) {
    if (error instanceof FieldError) return { kind: "problem", line, message: error.message };
    throw error;
  }
}

function optionalText(values: SourceValues, field: SourceField): string | undefined {
  const value = values[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" && typeof value !== "number") throw new FieldError(`${field} is not text`);
  const text = typeof value === "string" ? value.trim() : String(value);
  if (text.length > MAX_TEXT_LENGTH)
    throw new FieldError(`${field} is longer than ${MAX_TEXT_LENGTH} characters`);
  return text.length === 0 ? undefined : text;
}

function requiredText(values: SourceValues, field: SourceField): string {
  const text = optionalText(values, field);
  if (text === undefined) throw new FieldError(`${field} is missing`);
  return text;
}

function optionalDecimal(values: SourceValues, field: SourceField): NanoAmount | undefined {
  const value = values[field];
  if (value === undefined || value === null || value === "") return undefined;
  // JSON numbers arrive as their source text when the parser can keep it, else as a double
  // whose shortest form (String) is the text the exporter wrote for up to 15 significant digits.
  const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;
  const parsed = text === undefined ? undefined : parseNanoAmount(text);
  if (parsed === undefined) {
    if (text !== undefined && text.trim() === "") return undefined;
    throw new FieldError(`${field} is not a decimal number`);
  }
  return parsed;
}

function requiredDecimal(values: SourceValues, field: SourceField): NanoAmount {
  const value = optionalDecimal(values, field);
  if (value === undefined) throw new FieldError(`${field} is missing`);
  return value;
}

function requiredDate(values: SourceValues, field: SourceField): string {
  const text = requiredText(values, field);
  const iso = toUtcIso(text);
  if (iso === undefined) throw new FieldError(`${field} is not a date`);
  return iso;
}

function currencyOf(values: SourceValues, fileCurrency: string | undefined): string {
  const own = optionalText(values, "Currency");
  const currency = (own ?? fileCurrency)?.toUpperCase();
  if (currency === undefined)
    throw new FieldError("Currency is missing (neither the row nor the file gives one)");
  if (!CURRENCY_PATTERN.test(currency)) throw new FieldError("Currency is not an ISO 4217 code");
  return currency;
}

/** True when an entry carries its own non-empty Currency (the JSON parser buffers the others). */
export function hasOwnCurrency(raw: Record<string, unknown>): boolean {
  for (const key in raw) {
    if (canonicalFieldName(key) !== "Currency") continue;
    const value = raw[key];
    if (typeof value === "string" && value.trim() !== "") return true;
  }
  return false;
}

/**
 * The per-row normaliser for one CSV header (`columns[i]` is the field of column i, as
 * resolveCsvHeader gives it): indices are resolved once, and a well-formed row is read straight
 * from the record's fields without an intermediate object. `text`, the record's line when it has
 * no quotes, lets rows with the same text columns share them (see RowTextsInterner and
 * ConsumptionRow.textsKey). Any irregular row (a missing, over-long or invalid value) goes through
 * {@link normaliseValues}, so results and problem messages are exactly those of the general path.
 */
export function csvRowNormaliser(
  columns: readonly (SourceField | undefined)[],
  fileCurrency?: string,
): (fields: readonly string[], line: number, text?: string) => ConsumptionItem {
  const at = (field: SourceField) => columns.indexOf(field);
  const account = at("AccountId");
  const paying = at("PayingAccountId");
  const category = at("Category");
  const service = at("Service");
  const operation = at("Operation");
  const type = at("Type");
  const title = at("Title");
  const subregion = at("SubregionName");
  const resource = at("ResourceId");
  const from = at("FromDate");
  const to = at("ToDate");
  const value = at("Value");
  const unitPriceAt = at("UnitPrice");
  const priceAt = at("Price");
  const currencyAt = at("Currency");
  // The last currency cell seen and its normalised form: a file nearly always has one currency.
  let cachedCurrencyText: string | undefined | null = null;
  let cachedCurrency = "";
  const general = (fields: readonly string[], line: number): ConsumptionItem => {
    const values: SourceValues = {};
    for (let index = 0; index < fields.length; index++) {
      const field = columns[index];
      if (field !== undefined) values[field] = fields[index];
    }
    return normaliseValues(values, line, fileCurrency);
  };
  const currencyOfRow = (fields: readonly string[]): string | undefined => {
    const text = currencyAt === -1 ? undefined : fields[currencyAt];
    if (text === cachedCurrencyText) return cachedCurrency;
    let own: string | undefined;
    if (text !== undefined) {
      own = text.trim();
      if (own.length > MAX_TEXT_LENGTH) return undefined;
      if (own.length === 0) own = undefined;
    }
    const currency = (own ?? fileCurrency)?.toUpperCase();
    if (currency === undefined || !CURRENCY_PATTERN.test(currency)) return undefined;
    cachedCurrencyText = text === undefined ? undefined : detach(text);
    cachedCurrency = currency;
    return currency;
  };
  /** The texts of one row, read column by column; undefined when one is missing or invalid. */
  const readTexts = (fields: readonly string[]): RowTexts | undefined => {
    const accountId = textAt(fields, account);
    const payingAccountId = textAt(fields, paying);
    const categoryText = textAt(fields, category);
    const serviceText = textAt(fields, service);
    const operationText = textAt(fields, operation);
    const typeText = textAt(fields, type);
    const titleText = textAt(fields, title);
    const subregionName = optionalTextAt(fields, subregion);
    const resourceId = optionalTextAt(fields, resource);
    if (
      accountId === undefined ||
      payingAccountId === undefined ||
      categoryText === undefined ||
      serviceText === undefined ||
      operationText === undefined ||
      typeText === undefined ||
      titleText === undefined ||
      subregionName === null ||
      resourceId === null
    ) {
      return undefined;
    }
    return {
      accountId,
      payingAccountId,
      category: categoryText,
      service: serviceText,
      operation: operationText,
      type: typeText,
      title: titleText,
      subregionName,
      resourceId,
    };
  };
  const interner = new RowTextsInterner(columns, readTexts);
  const fromDates = new DateColumn(from);
  const toDates = new DateColumn(to);
  return (fields, line, text) => {
    const fromDate = fromDates.at(fields);
    const toDate = toDates.at(fields);
    const quantity = decimalAt(fields, value);
    const currency = currencyOfRow(fields);
    const texts = interner.textsOf(fields, text);
    if (
      fromDate === undefined ||
      toDate === undefined ||
      toDate < fromDate ||
      quantity === undefined ||
      currency === undefined ||
      texts === undefined
    ) {
      return general(fields, line);
    }
    const unitPrice = optionalDecimalAt(fields, unitPriceAt);
    const price = optionalDecimalAt(fields, priceAt);
    if (unitPrice === null || price === null) return general(fields, line);
    // Every property in one literal (absent ones undefined): one allocation and one hidden class
    // for all rows, where adding the optional ones afterwards cost a second object per row.
    return {
      kind: "row",
      line,
      accountId: texts.accountId,
      payingAccountId: texts.payingAccountId,
      category: texts.category,
      service: texts.service,
      operation: texts.operation,
      type: texts.type,
      title: texts.title,
      subregionName: texts.subregionName,
      resourceId: texts.resourceId,
      fromDate,
      toDate,
      quantity,
      unitPrice,
      price,
      currency,
      textsKey: "id" in texts ? texts : undefined,
    };
  };
}

/** The text fields of a row: what repeats for every row of one resource and meter. */
export type RowTexts = Pick<
  ConsumptionRow,
  | "accountId"
  | "payingAccountId"
  | "category"
  | "service"
  | "operation"
  | "type"
  | "title"
  | "subregionName"
  | "resourceId"
>;

/** A required text, trimmed; undefined when missing, empty or too long (the general path says which). */
function textAt(fields: readonly string[], index: number): string | undefined {
  const raw = index === -1 ? undefined : fields[index];
  if (raw === undefined) return undefined;
  const text = raw.trim();
  return text.length === 0 || text.length > MAX_TEXT_LENGTH ? undefined : text;
}

/** An optional text: undefined when absent or blank, null when invalid (too long). */
function optionalTextAt(fields: readonly string[], index: number): string | undefined | null {
  const raw = index === -1 ? undefined : fields[index];
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text.length > MAX_TEXT_LENGTH) return null;
  return text.length === 0 ? undefined : text;
}

/**
 * A date column: the same date text on consecutive rows (an export lists a period's entries
 * together) is compared with the last one rather than looked up in the date cache.
 */
class DateColumn {
  private lastText = "";
  private lastDate: string | undefined;

  constructor(private readonly index: number) {}

  at(fields: readonly string[]): string | undefined {
    const raw = this.index === -1 ? undefined : fields[this.index];
    if (raw === undefined || raw.length > MAX_TEXT_LENGTH) return undefined;
    if (raw === this.lastText) return this.lastDate;
    const date = toUtcIso(raw);
    this.lastText = detach(raw);
    this.lastDate = date;
    return date;
  }
}

function decimalAt(fields: readonly string[], index: number): NanoAmount | undefined {
  const raw = index === -1 ? undefined : fields[index];
  return raw === undefined || raw === "" ? undefined : parseNanoAmount(raw);
}

/** An optional decimal: undefined when absent or blank, null when not a decimal. */
function optionalDecimalAt(fields: readonly string[], index: number): NanoAmount | undefined | null {
  const raw = index === -1 ? undefined : fields[index];
  if (raw === undefined || raw === "") return undefined;
  const parsed = parseNanoAmount(raw);
  if (parsed !== undefined) return parsed;
  return raw.trim() === "" ? undefined : null;
}
