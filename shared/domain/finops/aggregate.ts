import type { ConsumptionRow } from "./consumption";
import type { Nano } from "./decimal";
import { regionIdLength } from "./focus";
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
  cost: Nano;
  /** Exact sum of the Values. */
  quantity: Nano;
  rowCount: number;
  /** Rows that had no Price: when > 0, `cost` is incomplete and must be shown as such. */
  rowsWithoutPrice: number;
}

/**
 * Sums rows per day and key. Memory grows with the number of distinct keys, not of rows: a month
 * of a 2,000-resource account is ~60,000 keys whatever the export's granularity.
 *
 * Keys are looked up without building a key string per row: by resource, then by day, then among
 * the few entries of that resource and day (nearly always one) by the other key fields. Strings
 * kept in an entry are copied (see detach), so no entry pins a parser's read chunk.
 */
export class DailyCostAggregator {
  /** resourceId ("" for none) → chargeDay → the entries of that resource and day. */
  private readonly byResource = new Map<string, Map<string, DailyCost[]>>();
  private count = 0;
  private lastFromDate = "";
  private lastDay = "";

  add(row: ConsumptionRow): void {
    const resourceKey = row.resourceId ?? "";
    let byDay = this.byResource.get(resourceKey);
    if (byDay === undefined) {
      byDay = new Map();
      this.byResource.set(detach(resourceKey), byDay);
    }
    // FromDates come from the date cache, so a repeated one is the same string: a pointer check.
    if (row.fromDate !== this.lastFromDate) {
      this.lastFromDate = row.fromDate;
      this.lastDay = row.fromDate.slice(0, 10);
    }
    const chargeDay = this.lastDay;
    let entries = byDay.get(chargeDay);
    if (entries === undefined) {
      entries = [];
      byDay.set(chargeDay, entries);
    }
    const subregion = row.subregionName;
    const regionLength = subregion === undefined ? -1 : regionIdLength(subregion);
    let entry: DailyCost | undefined;
    for (let index = 0; index < entries.length; index++) {
      const candidate = entries[index]!;
      if (
        candidate.service === row.service &&
        candidate.category === row.category &&
        candidate.accountId === row.accountId &&
        candidate.currency === row.currency &&
        sameRegion(candidate.regionId, subregion, regionLength)
      ) {
        entry = candidate;
        break;
      }
    }
    if (entry === undefined) {
      entry = {
        chargeDay,
        currency: detach(row.currency),
        service: detach(row.service),
        category: detach(row.category),
        regionId: subregion === undefined ? null : detach(subregion.slice(0, regionLength)),
        accountId: detach(row.accountId),
        resourceId: row.resourceId === undefined ? null : detach(row.resourceId),
        cost: 0n,
        quantity: 0n,
        rowCount: 0,
        rowsWithoutPrice: 0,
      };
      entries.push(entry);
      this.count++;
    }
    entry.quantity += row.quantity;
    entry.rowCount++;
    if (row.price === undefined) entry.rowsWithoutPrice++;
    else entry.cost += row.price;
  }

  /** Number of distinct keys held. */
  get size(): number {
    return this.count;
  }

  *entries(): IterableIterator<DailyCost> {
    for (const byDay of this.byResource.values()) {
      for (const entries of byDay.values()) yield* entries;
    }
  }

  /** Total cost per currency (exact), e.g. for a manifest summary. */
  totalsByCurrency(): Map<string, Nano> {
    const totals = new Map<string, Nano>();
    for (const entry of this.entries()) {
      totals.set(entry.currency, (totals.get(entry.currency) ?? 0n) + entry.cost);
    }
    return totals;
  }
}

/** Whether a subregion's region (its first `regionLength` characters) is the entry's region. */
function sameRegion(regionId: string | null, subregion: string | undefined, regionLength: number): boolean {
  if (subregion === undefined) return regionId === null;
  return regionId !== null && regionId.length === regionLength && subregion.startsWith(regionId);
}
