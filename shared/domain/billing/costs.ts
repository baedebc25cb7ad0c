import type { Actor } from "../credentials/credentials";
import { InvalidInput } from "../errors";
import { formatCents, formatDecimal, type Nano, parseDecimal, toCents } from "../finops/decimal";
import type { CostGroup } from "./model";
import type { CostStore } from "./ports";

export const COST_DIMENSIONS = [
  "day",
  "month",
  "service",
  "category",
  "region",
  "account",
  "credential",
  "resource",
] as const;
export type CostDimension = (typeof COST_DIMENSIONS)[number];

export interface CostQuery {
  from: string;
  to: string;
  groupBy: CostDimension[];
  credentialId?: string;
}

const MAX_DAYS = 366;

function dimensionValue(group: CostGroup & { credentialId: string }, dimension: CostDimension): string {
  switch (dimension) {
    case "day":
      return group.day;
    case "month":
      return group.day.slice(0, 7);
    case "credential":
      return group.credentialId;
    default:
      return group[dimension];
  }
}

/**
 * Cost queries over the imported daily aggregates: sums are exact (nano-units) and rounded to the
 * cent once, at the end; amounts in different currencies are never added together.
 */
export class CostQueries {
  constructor(private readonly store: CostStore) {}

  async costs(actor: Actor, query: CostQuery) {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000;
    if (!(days > 0)) throw new InvalidInput([{ path: "query.to", message: "must be after from" }]);
    if (days > MAX_DAYS)
      throw new InvalidInput([{ path: "query.to", message: `at most ${MAX_DAYS} days per query` }]);
    const groups = await this.store.queryCosts(actor.tenant, query.from, query.to, query.credentialId);
    const totals = new Map<string, { cost: Nano; rowsWithoutPrice: number }>();
    const grouped = new Map<
      string,
      { key: Record<string, string>; currency: string; cost: Nano; quantity: Nano; priced: boolean }
    >();
    for (const group of groups) {
      const cost = group.cost === null ? undefined : parseDecimal(group.cost);
      const total = totals.get(group.currency) ?? { cost: 0n, rowsWithoutPrice: 0 };
      if (cost === undefined) total.rowsWithoutPrice++;
      else total.cost += cost;
      totals.set(group.currency, total);
      const key = Object.fromEntries(
        query.groupBy.map((dimension) => [dimension, dimensionValue(group, dimension)]),
      );
      const id = JSON.stringify([group.currency, ...Object.values(key)]);
      const entry = grouped.get(id) ?? {
        key,
        currency: group.currency,
        cost: 0n,
        quantity: 0n,
        priced: false,
      };
      if (cost !== undefined) {
        entry.cost += cost;
        entry.priced = true;
      }
      entry.quantity += parseDecimal(group.quantity) ?? 0n;
      grouped.set(id, entry);
    }
    const currencies = [...totals.keys()].sort();
    const single = currencies.length === 1 ? currencies[0]! : null;
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      // One currency: its total; several: null here, and one total per currency below.
      currency: single,
      total: single ? formatCents(toCents(totals.get(single)!.cost)) : null,
      totals: currencies.map((currency) => ({
        currency,
        total: formatCents(toCents(totals.get(currency)!.cost)),
        groupsWithoutPrice: totals.get(currency)!.rowsWithoutPrice,
      })),
      groups: [...grouped.values()]
        .sort((a, b) => (b.cost > a.cost ? 1 : b.cost < a.cost ? -1 : 0))
        .map((entry) => ({
          key: entry.key,
          currency: entry.currency,
          cost: entry.priced ? formatCents(toCents(entry.cost)) : null,
          quantity: formatDecimal(entry.quantity),
        })),
    };
  }
}
