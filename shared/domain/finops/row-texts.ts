import type { RowTexts, SourceField, TextsKey } from "./consumption";
import { detach } from "./text";

/**
 * The text fields, by their OUTSCALE names: what repeats for every row of one resource and meter.
 * (Here rather than in consumption.ts, which imports this module: no import cycle at run time.)
 */
export const TEXT_SOURCE_FIELDS = [
  "AccountId",
  "PayingAccountId",
  "Category",
  "Service",
  "Operation",
  "Type",
  "Title",
  "SubregionName",
  "ResourceId",
] as const;
const TEXT_FIELDS = new Set<SourceField | undefined>(TEXT_SOURCE_FIELDS);
/** Distinct row texts (and recent prefixes) remembered per file; beyond, memory starts over. */
const MAX_INTERNED = 50_000;
/** Prefixes remembered per short key (a resource billed under several meters has several). */
const RECENT_PER_SHORT_KEY = 8;

type InternedTexts = RowTexts & TextsKey;

/**
 * Leading text fields seen recently, as the line prefix that holds them (records without quotes)
 * or field by field (records with quotes), and their texts (null: they did not normalise).
 */
interface RecentTexts {
  prefix?: string;
  fields?: readonly string[];
  texts: InternedTexts | null;
}

/**
 * Gives the rows of a CSV file that share their text fields one shared texts object (with a
 * TextsKey id), read once. Rows of one resource and meter repeat the same texts; when the text
 * columns lead the header (OUTSCALE's own order), the start of an unquoted line up to the first
 * other column holds exactly those texts, so that prefix identifies them. Every row with the same
 * texts then carries the same string objects (detach pools its copies), and later comparisons
 * (aggregates, FOCUS line shapes) are pointer checks.
 *
 * Hashing a ~130-character prefix costs more than the rest of a row's normalisation, so a prefix
 * is first looked for among the few recently seen with the same resource (or title, without a
 * ResourceId column): a short key, then one comparison. The map of all prefixes is the fallback.
 * With another column order, every row's texts are read on their own (correct, only slower).
 */
export class RowTextsInterner {
  private readonly textColumns: number;
  private readonly applies: boolean;
  private readonly shortKeyColumn: number;
  private readonly interned = new Map<string, InternedTexts | null>();
  private readonly recent = new Map<string, RecentTexts[]>();
  private recentCount = 0;
  private nextId = 0;

  /**
   * @param columns the header's fields, by column (as resolveCsvHeader gives them)
   * @param readTexts a row's texts read from its fields, or undefined when one is invalid
   */
  constructor(
    columns: readonly (SourceField | undefined)[],
    private readonly readTexts: (fields: readonly string[]) => RowTexts | undefined,
  ) {
    let textColumns = 0;
    while (textColumns < columns.length && TEXT_FIELDS.has(columns[textColumns])) textColumns++;
    this.textColumns = textColumns;
    const textColumnsLead = columns.slice(textColumns).every((field) => !TEXT_FIELDS.has(field));
    this.applies = textColumns > 0 && textColumnsLead;
    const resource = columns.indexOf("ResourceId");
    this.shortKeyColumn = resource !== -1 && resource < textColumns ? resource : columns.indexOf("Title");
  }

  /**
   * The row's texts: shared (with a TextsKey) when interned, else read from the fields; undefined
   * when one is invalid. `text` is the record's line when it has no quotes.
   */
  textsOf(fields: readonly string[], text: string | undefined): RowTexts | InternedTexts | undefined {
    const textColumns = this.textColumns;
    if (!this.applies || fields.length < textColumns) return this.readTexts(fields);
    let prefix: string | undefined;
    if (text !== undefined) {
      let prefixLength = textColumns - 1;
      for (let index = 0; index < textColumns; index++) prefixLength += fields[index]!.length;
      prefix = text.slice(0, prefixLength);
    }
    const shortKey = fields[this.shortKeyColumn] ?? "";
    let candidates = this.recent.get(shortKey);
    if (candidates !== undefined) {
      for (let index = 0; index < candidates.length; index++) {
        const candidate = candidates[index]!;
        // A record with quotes has no line text: its leading fields are compared one by one.
        const same =
          prefix !== undefined
            ? candidate.prefix === prefix
            : candidate.fields !== undefined && sameLeadingFields(candidate.fields, fields);
        if (same) return candidate.texts ?? undefined;
      }
    } else {
      if (this.recentCount >= MAX_INTERNED) {
        this.recent.clear();
        this.recentCount = 0;
      }
      candidates = [];
      this.recent.set(detach(shortKey), candidates);
    }
    // JSON keeps a quoted record's fields apart (a comma may be inside one); a line prefix has no quote.
    const texts = this.intern(fields, prefix ?? JSON.stringify(fields.slice(0, textColumns)));
    if (candidates.length >= RECENT_PER_SHORT_KEY) candidates.shift();
    else this.recentCount++;
    candidates.push(
      prefix !== undefined
        ? { prefix: detach(prefix), texts }
        : { fields: fields.slice(0, textColumns).map(detach), texts },
    );
    return texts ?? undefined;
  }

  private intern(fields: readonly string[], key: string): InternedTexts | null {
    const known = this.interned.get(key);
    if (known !== undefined) return known;
    const texts = this.readTexts(fields);
    const kept = texts === undefined ? null : { ...detachTexts(texts), id: this.nextId++ };
    if (this.interned.size >= MAX_INTERNED) this.interned.clear();
    this.interned.set(detach(key), kept);
    return kept;
  }
}

function sameLeadingFields(leading: readonly string[], fields: readonly string[]): boolean {
  for (let index = 0; index < leading.length; index++) {
    if (leading[index] !== fields[index]) return false;
  }
  return true;
}

function detachTexts(texts: RowTexts): RowTexts {
  return {
    accountId: detach(texts.accountId),
    payingAccountId: detach(texts.payingAccountId),
    category: detach(texts.category),
    service: detach(texts.service),
    operation: detach(texts.operation),
    type: detach(texts.type),
    title: detach(texts.title),
    subregionName: texts.subregionName === undefined ? undefined : detach(texts.subregionName),
    resourceId: texts.resourceId === undefined ? undefined : detach(texts.resourceId),
  };
}

/** TextsKey ids from this one on are not kept by ByTextsKey (its arrays stay small). */
const MAX_KEPT_IDS = 1 << 16;

/**
 * A value per TextsKey, for the consumers of rows (the aggregator, the FOCUS encoder): reached
 * through the key's id in an array, without hashing. A key from another parse with the same id
 * finds nothing; ids past MAX_KEPT_IDS are not kept (the consumer takes its general path).
 */
export class ByTextsKey<T> {
  // Parallel arrays, not an object per id: one pointer less to follow per row.
  private readonly keys: (TextsKey | undefined)[] = [];
  private readonly values: (T | undefined)[] = [];

  get(key: TextsKey): T | undefined {
    return this.keys[key.id] === key ? this.values[key.id] : undefined;
  }

  set(key: TextsKey, value: T): void {
    if (key.id >= MAX_KEPT_IDS) return;
    // Gaps filled with undefined: a jump of a thousand ids or more would turn the arrays into hash
    // tables.
    while (this.keys.length < key.id) {
      this.keys.push(undefined);
      this.values.push(undefined);
    }
    this.keys[key.id] = key;
    this.values[key.id] = value;
  }
}
