import type { ConsumptionRow } from "./consumption";
import { addSafeNano, type Nano, type NanoAmount, toNano } from "./decimal";
import { regionIdLength } from "./focus";
import { ByTextsKey } from "./row-texts";
import { detach } from "./text";

/** What one daily cost line is keyed by. Currency is always part of the key: never summed across. */
export interface DailyCostKey {
  /** UTC date of the row's FromDate, "2023-06-01". */
  chargeDay: string;
  currency: string;
  service: string;
  category: string;
  /** FOCUS RegionId (subregion without its letter), null when the export has no SubregionName. */
  regionId: string | null;
  accountId: string;
  resourceId: string | null;
}

export interface DailyCost extends DailyCostKey {
  /** Exact sum (nano-units) of the Prices given; rows without a Price add nothing here. */
  cost: NanoAmount;
  /** Exact sum of the Values. */
  quantity: NanoAmount;
  rowCount: number;
  /** Rows that had no Price: when > 0, `cost` is incomplete and must be shown as such. */
  rowsWithoutPrice: number;
}

/**
 * Sums rows per day and key. Memory grows with the number of distinct keys, not of rows: a month
 * of a 2,000-resource account is ~60,000 keys whatever the export's granularity.
 *
 * Keys are looked up without building a key string per row: by resource, then by day, then among
 * the few entries of that resource and day (nearly always one) by the other key fields. Rows that
 * carry a TextsKey skip even that: the entry last used for those texts is kept by the key's id,
 * so a row of the same texts, day and currency goes straight to it. Strings kept in an entry are
 * copied (see detach), so no entry pins a parser's read chunk.
 */
export class DailyCostAggregator {
  /** resourceId ("" for none) → chargeDay → the entries of that resource and day. */
  private readonly byResource = new Map<string, Map<string, DailyCostSums[]>>();
  /** The entry the last row with those texts went to. */
  private readonly lastByTexts = new ByTextsKey<DailyCostSums>();
  private count = 0;
  private lastFromDate = "";
  private lastDay = "";

  add(row: ConsumptionRow): void {
    // FromDates come from the date cache, so a repeated one is the same string: a pointer check.
    if (row.fromDate !== this.lastFromDate) {
      this.lastFromDate = row.fromDate;
      this.lastDay = row.fromDate.slice(0, 10);
    }
    const chargeDay = this.lastDay;
    const textsKey = row.textsKey;
    const last = textsKey === undefined ? undefined : this.lastByTexts.get(textsKey);
    let entry: DailyCostSums;
    if (last !== undefined && last.chargeDay === chargeDay && last.currency === row.currency) {
      entry = last;
    } else {
      entry = this.entryOf(row, chargeDay);
      if (textsKey !== undefined) this.lastByTexts.set(textsKey, entry);
    }
    entry.add(row.quantity, row.price);
  }

  private entryOf(row: ConsumptionRow, chargeDay: string): DailyCostSums {
    const resourceKey = row.resourceId ?? "";
    let byDay = this.byResource.get(resourceKey);
    if (byDay === undefined) {
      byDay = new Map();
      this.byResource.set(detach(resourceKey), byDay);
    }
    let entries = byDay.get(chargeDay);
    if (entries === undefined) {
      entries = [];
      byDay.set(chargeDay, entries);
    }
    const subregion = row.subregionName;
    const regionLength = subregion === undefined ? -1 : regionIdLength(subregion);
    for (let index = 0; index < entries.length; index++) {
      const candidate = entries[index]!;
      if (
        candidate.service === row.service &&
        candidate.category === row.category &&
        candidate.accountId === row.accountId &&
        candidate.currency === row.currency &&
        sameRegion(candidate.regionId, subregion, regionLength)
      ) {
        return candidate;
      }
    }
    // Interned rows (with a TextsKey) hold pooled copies already; others may hold chunk slices.
    const own = row.textsKey === undefined ? detach : sameString;
    const entry = new DailyCostSums({
      chargeDay,
      currency: own(row.currency),
      service: own(row.service),
      category: own(row.category),
      regionId: subregion === undefined ? null : own(subregion.slice(0, regionLength)),
      accountId: own(row.accountId),
      resourceId: row.resourceId === undefined ? null : own(row.resourceId),
    });
    entries.push(entry);
    this.count++;
    return entry;
  }

  /** Number of distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** The daily cost lines, each with its exact sums (read them before adding more rows). */
  entries(): DailyCost[] {
    const lines: DailyCost[] = [];
    for (const byDay of this.byResource.values()) {
      for (const entries of byDay.values()) {
        for (let index = 0; index < entries.length; index++) lines.push(entries[index]!);
      }
    }
    return lines;
  }

  /** Total cost per currency (exact), e.g. for a manifest summary. */
  totalsByCurrency(): Map<string, Nano> {
    const totals = new Map<string, Nano>();
    for (const entry of this.entries()) {
      totals.set(entry.currency, (totals.get(entry.currency) ?? 0n) + toNano(entry.cost));
    }
    return totals;
  }
}

/**
 * A daily cost line being summed: each sum is a number while it stays a safe integer, plus a
 * bigint for what goes beyond (see addSafeNano); the fields sit in the line itself, so adding a
 * row touches one object.
 */
class DailyCostSums implements DailyCost {
  readonly chargeDay: string;
  readonly currency: string;
  readonly service: string;
  readonly category: string;
  readonly regionId: string | null;
  readonly accountId: string;
  readonly resourceId: string | null;
  private costSmall = 0;
  private costLarge = 0n;
  private quantitySmall = 0;
  private quantityLarge = 0n;
  rowCount = 0;
  rowsWithoutPrice = 0;

  constructor(key: DailyCostKey) {
    this.chargeDay = key.chargeDay;
    this.currency = key.currency;
    this.service = key.service;
    this.category = key.category;
    this.regionId = key.regionId;
    this.accountId = key.accountId;
    this.resourceId = key.resourceId;
  }

  add(quantity: NanoAmount, price: NanoAmount | undefined): void {
    const quantitySmall = addSafeNano(this.quantitySmall, quantity);
    if (quantitySmall !== undefined) this.quantitySmall = quantitySmall;
    else {
      this.quantityLarge += BigInt(this.quantitySmall) + toNano(quantity);
      this.quantitySmall = 0;
    }
    this.rowCount++;
    if (price === undefined) {
      this.rowsWithoutPrice++;
      return;
    }
    const costSmall = addSafeNano(this.costSmall, price);
    if (costSmall !== undefined) this.costSmall = costSmall;
    else {
      this.costLarge += BigInt(this.costSmall) + toNano(price);
      this.costSmall = 0;
    }
  }

  get cost(): NanoAmount {
    return amountOf(this.costSmall, this.costLarge);
  }

  get quantity(): NanoAmount {
    return amountOf(this.quantitySmall, this.quantityLarge);
  }
}

const sameString = (text: string) => text;

/** A sum kept as number + bigint, as a NanoAmount (a number while it is a safe integer). */
function amountOf(small: number, large: bigint): NanoAmount {
  if (large === 0n) return small;
  const total = large + BigInt(small);
  return total <= MAX_SAFE && total >= -MAX_SAFE ? Number(total) : total;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether a subregion's region (its first `regionLength` characters) is the entry's region. */
function sameRegion(regionId: string | null, subregion: string | undefined, regionLength: number): boolean {
  if (subregion === undefined) return regionId === null;
  return regionId !== null && regionId.length === regionLength && subregion.startsWith(regionId);
}
