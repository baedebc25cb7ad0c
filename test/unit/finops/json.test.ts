import { describe, expect, it } from "vitest";
import { ENTRY, gzip, parseAll } from "./helpers";

const withoutCurrency = { ...ENTRY, Price: "0.1" };
const withCurrency = { ...ENTRY, Price: "0.2", Currency: "USD" };

describe("JSON document", () => {
  it("streams entries with the file Currency given before them, keys in any case", async () => {
    const text = JSON.stringify(
      { currency: "EUR", consumption_entries: [withoutCurrency, withCurrency] },
      null,
      2,
    );
    const { rows, problems } = await parseAll(text, "reply.json", 5);
    expect(problems).toEqual([]);
    expect(rows.map((row) => [row.line, row.currency, row.price])).toEqual([
      [1, "EUR", 100_000_000],
      [2, "USD", 200_000_000],
    ]);
  });

  it("buffers entries without currency until a Currency after the array", async () => {
    const text = `{"ConsumptionEntries":[${JSON.stringify(withoutCurrency)},${JSON.stringify(withCurrency)}],"ResponseContext":{"RequestId":"x]}"},"Currency":"EUR"}`;
    const { rows } = await parseAll(text, "reply.json", 3);
    // The entry with its own currency comes first: the other waited for the file's Currency.
    expect(rows.map((row) => [row.line, row.currency])).toEqual([
      [2, "USD"],
      [1, "EUR"],
    ]);
  });

  it("keeps numbers exact, as their source text", async () => {
    const text = `{"Currency":"EUR","ConsumptionEntries":[${JSON.stringify({ ...ENTRY, Value: 0.1, Price: 1e-3, UnitPrice: 0.1234567891 }).replace('"Value":0.1', '"Value":0.10000000000000000001')}]}`;
    const { rows } = await parseAll(text, "reply.json");
    expect(rows[0]).toMatchObject({ quantity: 100_000_000, price: 1_000_000, unitPrice: 123_456_789 });
  });

  it("reads a bare array and escaped quotes in strings across chunk boundaries", async () => {
    const text = JSON.stringify([{ ...ENTRY, Title: 'Say "hi" \\ there', Currency: "EUR" }]);
    for (const size of [1, 2, 5, 100]) {
      const { rows, problems } = await parseAll(text, "entries.json", size);
      expect(problems).toEqual([]);
      expect(rows[0]?.title).toBe('Say "hi" \\ there');
    }
  });

  it("reports a bad entry by index + 1 and imports the rest", async () => {
    const text = JSON.stringify({
      Currency: "EUR",
      ConsumptionEntries: [ENTRY, 42, { ...ENTRY, Value: "x" }, ENTRY],
    });
    const { rows, problems } = await parseAll(text, "reply.json");
    expect(rows.map((row) => row.line)).toEqual([1, 4]);
    expect(problems).toEqual([
      { kind: "problem", line: 2, message: "the entry is not a JSON object" },
      { kind: "problem", line: 3, message: "Value is not a decimal number" },
    ]);
  });

  it("refuses a document without ConsumptionEntries or with trailing text", async () => {
    await expect(parseAll('{"Currency":"EUR"}', "reply.json")).rejects.toThrow(/no ConsumptionEntries/);
    await expect(parseAll('{"ConsumptionEntries":[]} x', "reply.json")).rejects.toThrow(/after the document/);
    await expect(parseAll('{"ConsumptionEntries":[{"a":1}', "reply.json")).rejects.toThrow(/ends/);
  });

  it("reads gzip JSON", async () => {
    const text = JSON.stringify({ Currency: "EUR", ConsumptionEntries: [ENTRY] });
    expect((await parseAll(gzip(text), "reply.json.gz", 4)).rows).toHaveLength(1);
    expect((await parseAll(gzip(text), "no-extension", 4)).rows).toHaveLength(1);
  });
});

describe("NDJSON", () => {
  const text = [
    JSON.stringify({ ...ENTRY, Currency: "EUR" }),
    "",
    "{not json",
    JSON.stringify({ ...ENTRY, Currency: "EUR" }),
  ].join("\n");

  it("reads one object per line, skips blank lines, reports bad lines by line number", async () => {
    for (const key of ["rows.ndjson", "rows.jsonl", "unnamed"]) {
      const { rows, problems } = await parseAll(text, key, 6);
      expect(
        rows.map((row) => row.line),
        key,
      ).toEqual([1, 4]);
      expect(problems).toEqual([{ kind: "problem", line: 3, message: "the line is not a JSON object" }]);
    }
  });

  it("reads gzip NDJSON and refuses a file whose first line is not an object", async () => {
    expect((await parseAll(gzip(text), "rows.jsonl.gz")).rows).toHaveLength(2);
    await expect(parseAll("nope\n{}", "rows.ndjson")).rejects.toThrow(/line 1 is not a JSON object/);
  });
});
