import type { ConsumptionRow } from "./consumption";
import type { Nano } from "./decimal";
import { regionOf } from "./focus";
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

/** U+001F (unit separator) never appears in ids or names, so joined keys cannot collide. */
const SEPARATOR = "\u001f";

/**
 * Sums rows per day and key. Memory grows with the number of distinct keys, not of rows: a month
 * of a 2,000-resource account is ~60,000 keys whatever the export's granularity.
 */
export class DailyCostAggregator {
  private readonly costs = new Map<string, DailyCost>();

  add(row: ConsumptionRow): void {
    const chargeDay = row.fromDate.slice(0, 10);
    const regionId = row.subregionName === undefined ? null : regionOf(row.subregionName);
    const resourceId = row.resourceId ?? null;
    const key = [
      chargeDay,
      row.currency,
      row.service,
      row.category,
      regionId ?? "",
      row.accountId,
      resourceId ?? "",
    ].join(SEPARATOR);
    let entry = this.costs.get(key);
    if (entry === undefined) {
      entry = {
        chargeDay,
        currency: row.currency,
        service: row.service,
        category: row.category,
        regionId,
        accountId: row.accountId,
        resourceId,
        cost: 0n,
        quantity: 0n,
        rowCount: 0,
        rowsWithoutPrice: 0,
      };
      this.costs.set(detach(key), entry);
    }
    entry.quantity += row.quantity;
    entry.rowCount++;
    if (row.price === undefined) entry.rowsWithoutPrice++;
    else entry.cost += row.price;
  }

  /** Number of distinct keys held. */
  get size(): number {
    return this.costs.size;
  }

  entries(): IterableIterator<DailyCost> {
    return this.costs.values();
  }

  /** Total cost per currency (exact), e.g. for a manifest summary. */
  totalsByCurrency(): Map<string, Nano> {
    const totals = new Map<string, Nano>();
    for (const entry of this.costs.values()) {
      totals.set(entry.currency, (totals.get(entry.currency) ?? 0n) + entry.cost);
    }
    return totals;
  }
}
