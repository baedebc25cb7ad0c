import { describe, expect, it } from "vitest";
import { DailyCostAggregator } from "../../../shared/domain/finops/aggregate";
import type { ConsumptionRow } from "../../../shared/domain/finops/consumption";
import { formatCents, formatDecimal, toCents } from "../../../shared/domain/finops/decimal";
import { HEADER, parseAll } from "./helpers";

const line = (day: string, value: string, price: string, currency = "EUR", resource = "i-1") =>
  `1,9,compute,TinaOS-FCU,Run,T,Title,eu-west-2a,${resource},${day}T10:00:00.000+0000,${day}T11:00:00.000+0000,${value},,${price},${currency}`;

async function aggregate(lines: string[]) {
  const { rows, problems } = await parseAll([HEADER, ...lines].join("\n"), "a.csv", 64);
  expect(problems).toEqual([]);
  const aggregator = new DailyCostAggregator();
  for (const row of rows) aggregator.add(row);
  return aggregator;
}

describe("daily aggregation", () => {
  it("totals a hand-computed fixture exactly to the cent (where floats drift)", async () => {
    // 0.1 + 0.2 + 0.3 + 0.105 + 0.0049 + 1e-9 × 3 = 0.709900003 → 0.71 EUR
    const prices = ["0.1", "0.2", "0.3", "0.105", "0.0049", "1e-9", "0.000000001", "1E-9"];
    const aggregator = await aggregate(prices.map((price) => line("2023-06-01", "1", price)));
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6); // what this test guards against
    const total = aggregator.totalsByCurrency().get("EUR")!;
    expect(formatDecimal(total)).toBe("0.709900003");
    expect(formatCents(toCents(total))).toBe("0.71");
    const [entry] = [...aggregator.entries()];
    expect(entry).toMatchObject({
      chargeDay: "2023-06-01",
      regionId: "eu-west-2",
      rowCount: 8,
      rowsWithoutPrice: 0,
    });
    expect(formatDecimal(entry!.quantity)).toBe("8");
  });

  it("rounds a half cent up exactly where float rounding loses it", async () => {
    const aggregator = await aggregate(
      ["0.1", "0.2", "0.3", "0.4", "0.005"].map((price) => line("2023-06-01", "1", price)),
    );
    const total = aggregator.totalsByCurrency().get("EUR")!;
    expect(formatDecimal(total)).toBe("1.005");
    expect(formatCents(toCents(total))).toBe("1.01");
    expect(Math.round(1.005 * 100) / 100).toBe(1); // the float answer is a cent short
  });

  it("keys by day, resource and currency; never sums two currencies together", async () => {
    const aggregator = await aggregate([
      line("2023-06-01", "1", "0.1"),
      line("2023-06-01", "2", "0.2"),
      line("2023-06-01", "1", "5", "USD"),
      line("2023-06-02", "1", "0.3"),
      line("2023-06-01", "1", "0.4", "EUR", "i-2"),
    ]);
    expect(aggregator.size).toBe(4);
    const totals = aggregator.totalsByCurrency();
    expect(formatDecimal(totals.get("EUR")!)).toBe("1");
    expect(formatDecimal(totals.get("USD")!)).toBe("5");
    for (const entry of aggregator.entries()) {
      expect(["EUR", "USD"]).toContain(entry.currency);
      if (entry.currency === "USD") expect(entry.cost).toBe(5_000_000_000);
    }
    const june1 = [...aggregator.entries()].find(
      (entry) => entry.currency === "EUR" && entry.resourceId === "i-1" && entry.chargeDay === "2023-06-01",
    );
    expect(formatDecimal(june1!.cost)).toBe("0.3");
  });

  it("counts rows without a Price instead of inventing their cost", async () => {
    const aggregator = await aggregate([line("2023-06-01", "3", ""), line("2023-06-01", "1", "0.25")]);
    const [entry] = [...aggregator.entries()];
    expect(entry).toMatchObject({ rowCount: 2, rowsWithoutPrice: 1 });
    expect(formatDecimal(entry!.cost)).toBe("0.25");
  });
});

describe("daily sums beyond 2^53 nano-units", () => {
  it("equal the exact bigint sums, with amounts as numbers, bigints or both, and no price on some rows", () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const base: ConsumptionRow = {
      kind: "row",
      line: 1,
      accountId: "1",
      payingAccountId: "9",
      category: "compute",
      service: "TinaOS-FCU",
      operation: "Run",
      type: "T",
      title: "Title",
      fromDate: "2023-06-01T00:00:00.000Z",
      toDate: "2023-06-01T01:00:00.000Z",
      quantity: 0,
      currency: "EUR",
    };
    const cases: bigint[][] = [
      [1n, 2n, 3n],
      [max, 1n, 1n, -1n, -max, -max, -2n],
      [max - 1n, 1n, 1n, 1n],
      [2n ** 70n + 1n, 3n, -(2n ** 70n), -(max + 5n), max, max],
      [-max, -1n, -1n, max, max, 7n],
    ];
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return BigInt(seed);
    };
    cases.push(Array.from({ length: 3000 }, () => ((random() * random() * 4099n) % (max / 3n)) - max / 6n));
    for (const values of cases) {
      const aggregator = new DailyCostAggregator();
      let cost = 0n;
      let quantity = 0n;
      values.forEach((value, index) => {
        // Parsers give a number for a safe integer and a bigint beyond; both forms must add up.
        const amount = value <= max && value >= -max && index % 3 !== 0 ? Number(value) : value;
        const priced = index % 5 !== 4;
        aggregator.add({ ...base, quantity: amount, ...(priced ? { price: amount } : {}) });
        quantity += value;
        if (priced) cost += value;
      });
      const [entry, ...others] = [...aggregator.entries()];
      expect(others).toEqual([]);
      expect(entry).toBeDefined();
      expect(BigInt(entry!.cost)).toBe(cost);
      expect(BigInt(entry!.quantity)).toBe(quantity);
      expect(entry!.rowCount).toBe(values.length);
    }
  });
});
