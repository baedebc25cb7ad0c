import { describe, expect, it } from "vitest";
import type { ConsumptionRow } from "../../../shared/domain/finops/consumption";
import { parseCsvRecords } from "../../../shared/domain/finops/parse";
import { chunked, collect, gzip, HEADER, parseAll } from "./helpers";

const ROW =
  "123456789012,999999999999,compute,TinaOS-FCU,RunInstances-OD,BoxUsage:tinav5,Instance,eu-west-2a,i-1";

describe("CSV records", () => {
  it("handles BOM, CRLF, quoted commas, quotes and newlines at any chunk size", async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\r\n\r\n3,,z\n';
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const records = await collect(parseCsvRecords(chunked(text, size)));
      expect(records, `chunk ${size}`).toEqual([
        { fields: ["a", "b", "c"], line: 1, text: "a,b,c" },
        { fields: ["1", "x, y", 'say "hi"'], line: 2 },
        { fields: ["2", "two\nlines", ""], line: 3 },
        { fields: ["3", "", "z"], line: 6, text: "3,,z" },
      ]);
    }
  });

  it("reads a last record without a newline, and a quoted last field", async () => {
    expect(await collect(parseCsvRecords(chunked('a,b\n1,"2"', 3)))).toEqual([
      { fields: ["a", "b"], line: 1, text: "a,b" },
      { fields: ["1", "2"], line: 2 },
    ]);
  });

  it("refuses an unterminated quote instead of swallowing the file", async () => {
    await expect(collect(parseCsvRecords(chunked('a,b\n1,"never closed\n2,3\n')))).rejects.toThrow(
      /never closed/,
    );
  });
});

describe("CSV consumption rows", () => {
  it("normalises header variants, both date forms and absent optional columns", async () => {
    const csv = [
      "account_id,PAYING ACCOUNT ID,category,Service,operation,TYPE,Title,Sub_Region_Name,From Date,to_date,value,Currency",
      '123456789012,999999999999,compute,TinaOS-FCU,RunInstances-OD,BoxUsage:tinav5,"Instance, hourly",eu-west-2a,2023-06-01T00:00:00.000+0000,2023-06-02,24,eur',
      "123456789012,999999999999,storage,TinaOS-OOS,PutObject,ObjectStorage,Bucket,,2023-06-01T12:30:00Z,2023-06-01T15:30:00+02:00,1.5,EUR",
    ].join("\r\n");
    const { rows, problems } = await parseAll(csv, "exports/june.csv");
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(2);
    const [first, second] = rows;
    expect(first).toMatchObject({
      accountId: "123456789012",
      payingAccountId: "999999999999",
      title: "Instance, hourly",
      subregionName: "eu-west-2a",
      fromDate: "2023-06-01T00:00:00.000Z",
      toDate: "2023-06-02T00:00:00.000Z",
      quantity: 24_000_000_000,
      currency: "EUR",
      line: 2,
    });
    expect(first?.price).toBeUndefined();
    expect(first?.unitPrice).toBeUndefined();
    expect(first?.resourceId).toBeUndefined();
    expect(second?.subregionName).toBeUndefined();
    expect(second?.fromDate).toBe("2023-06-01T12:30:00.000Z");
    expect(second?.toDate).toBe("2023-06-01T13:30:00.000Z");
  });

  it("reports a malformed row with its physical line and imports the rest", async () => {
    const csv = [
      HEADER,
      `${ROW},2023-06-01,2023-06-02,1,0.1,0.1,EUR`,
      '123456789012,999999999999,compute,TinaOS-FCU,Run,T,"two\nline title",eu-west-2a,i-2,2023-06-01,2023-06-02,1,0.1,0.1,EUR',
      `${ROW},not-a-date,2023-06-02,1,0.1,0.1,EUR`,
      `${ROW},2023-06-01,2023-06-02,lots,0.1,0.1,EUR`,
      `${ROW},2023-06-01,2023-06-02,2,0.1,0.2,EUR`,
    ].join("\n");
    const { rows, problems } = await parseAll(csv, "a.csv");
    expect(rows.map((row) => row.line)).toEqual([2, 3, 7]);
    expect(problems).toEqual([
      { kind: "problem", line: 5, message: "FromDate is not a date" },
      { kind: "problem", line: 6, message: "Value is not a decimal number" },
    ]);
    expect(JSON.stringify(problems)).not.toContain("lots");
  });

  it("refuses rows with more fields than the header, a missing required field, a bad currency", async () => {
    const csv = [
      HEADER,
      `${ROW},2023-06-01,2023-06-02,1,0.1,0.1,EUR,extra`,
      `,999999999999,compute,TinaOS-FCU,Run,T,Title,eu-west-2a,i-2,2023-06-01,2023-06-02,1,0.1,0.1,EUR`,
      `${ROW},2023-06-01,2023-06-02,1,0.1,0.1,EURO`,
      `${ROW},2023-06-02,2023-06-01,1,0.1,0.1,EUR`,
    ].join("\n");
    const { rows, problems } = await parseAll(csv, "a.csv");
    expect(rows).toEqual([]);
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [2, "the record has 16 fields but the header has 15"],
      [3, "AccountId is missing"],
      [4, "Currency is not an ISO 4217 code"],
      [5, "ToDate is before FromDate"],
    ]);
  });

  it("uses the caller's default currency only when the file has none", async () => {
    const csv = `${HEADER.replace(",Currency", "")}\n${ROW},2023-06-01,2023-06-02,1,0.1,0.1\n`;
    expect((await parseAll(csv, "a.csv", 5, "EUR")).rows[0]?.currency).toBe("EUR");
    expect((await parseAll(csv, "a.csv")).problems[0]?.message).toMatch(/Currency is missing/);
  });

  it("reads gzip CSV streamed, by key or by magic bytes", async () => {
    const csv = `${HEADER}\n${ROW},2023-06-01,2023-06-02,1,0.1,0.1,EUR\n`;
    expect((await parseAll(gzip(csv), "a.csv.gz", 5)).rows).toHaveLength(1);
    expect((await parseAll(gzip(csv), "export-without-extension", 5)).rows).toHaveLength(1);
  });
});

describe("CSV rows whatever the column order", () => {
  it("are the same rows when the text columns do not lead (no shared texts then)", async () => {
    const lines = [
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-01T00:00:00.000+0000,2023-06-01T01:00:00.000+0000,1.5,0.05,0.075,EUR",
      '1,2,storage,TinaOS-FCU,Run,Box,"Title, quoted",eu-west-2b,i-2,2023-06-01,2023-06-02,2,,,USD',
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-02T00:00:00.000+0000,2023-06-02T01:00:00.000+0000,3,0.05,0.15,EUR",
    ];
    const columns = HEADER.split(",");
    // Dates and figures first, then the texts in reverse: a column order no exporter uses.
    const order = [9, 10, 11, 12, 13, 14, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const { parseCsvRecords } = await import("../../../shared/domain/finops/parse");
    const records = await collect(parseCsvRecords(chunked(lines.join("\n"))));
    const shuffled = [
      order.map((index) => columns[index]).join(","),
      ...records.map((record) =>
        order
          .map((index) => {
            const field = record.fields[index]!;
            return field.includes(",") ? `"${field}"` : field;
          })
          .join(","),
      ),
    ].join("\n");
    const plain = (rows: ConsumptionRow[]) => rows.map(({ textsKey: _textsKey, ...row }) => row);
    const inOrder = await parseAll([HEADER, ...lines].join("\n"), "a.csv", 5);
    const reordered = await parseAll(shuffled, "b.csv", 5);
    expect(reordered.problems).toEqual([]);
    expect(plain(reordered.rows)).toEqual(plain(inOrder.rows));
    expect(reordered.rows.every((row) => row.textsKey === undefined)).toBe(true);
    expect(inOrder.rows.every((row) => row.textsKey !== undefined)).toBe(true);
  });
});

describe("CSV rows, fast path against the general normaliser", () => {
  it("gives the same rows and problems as normaliseRecord for regular and irregular records", async () => {
    const { normaliseRecord } = await import("../../../shared/domain/finops/consumption");
    const { parseCsvRecords } = await import("../../../shared/domain/finops/parse");
    const lines = [
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-01T00:00:00.000+0000,2023-06-01T01:00:00.000+0000,1.5,0.05,0.075,eur",
      " 1 ,2,compute,TinaOS-FCU,Run,Box, T ,,,2023-06-01,2023-06-02,007.50,,, EUR ",
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-02,2023-06-01,1,0.05,0.05,EUR",
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-01,2023-06-02,1e3,x,0.05,EUR",
      "1,2,compute,TinaOS-FCU,Run,Box,,eu-west-2a,i-1,2023-06-01,2023-06-02,1,0.05,0.05,EUR",
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-01,2023-06-02,1,0.05,0.05,EURO",
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-01,2023-06-02,1,0.05,0.05,",
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-01,2023-06-02, 1 ,  ,-0.5,EUR",
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-13-01,2023-06-02,1,0.05,0.05,EUR",
      "1,2,compute,TinaOS-FCU,Run,Box,Title",
      // Same leading texts as earlier lines (the fast path reuses their interned texts).
      "1,2,compute,TinaOS-FCU,Run,Box,Title,eu-west-2a,i-1,2023-06-03,2023-06-04,2,0.05,0.1,USD",
      " 1 ,2,compute,TinaOS-FCU,Run,Box, T ,,,2023-06-01,2023-06-02,1,,,EUR",
      "1,2,compute,TinaOS-FCU,Run,Box,,eu-west-2a,i-1,2023-06-01,2023-06-02,2,0.05,0.05,EUR",
      `1,2,compute,TinaOS-FCU,Run,Box,${"x".repeat(2049)},eu-west-2a,i-1,2023-06-01,2023-06-02,1,1,1,EUR`,
      `1,2,compute,TinaOS-FCU,Run,Box,${"x".repeat(2049)},eu-west-2a,i-1,2023-06-01,2023-06-02,1,1,1,EUR`,
      '1,2,compute,TinaOS-FCU,Run,Box,"Title",eu-west-2a,i-1,2023-06-01,2023-06-02,1,0.05,0.05,EUR',
    ];
    for (const defaultCurrency of [undefined, "USD"]) {
      const { rows, problems } = await parseAll(
        `${HEADER}\n${lines.join("\n")}\n`,
        "x.csv",
        11,
        defaultCurrency,
      );
      const records = await collect(parseCsvRecords(chunked(`${HEADER}\n${lines.join("\n")}\n`)));
      const [header, ...body] = records;
      const expected = body.map((record) => {
        const raw: Record<string, unknown> = {};
        record.fields.forEach((value, index) => {
          raw[header!.fields[index]!] = value;
        });
        return normaliseRecord(raw, record.line, defaultCurrency);
      });
      // textsKey is the fast path's sharing hint; the general path has none.
      const plainRows = rows.map(({ textsKey: _textsKey, ...row }) => row);
      expect([...plainRows, ...problems].sort((x, y) => x.line - y.line)).toEqual(expected);
      // Rows with the same texts share one key; different texts never do.
      const byKey = new Map<unknown, string>();
      for (const row of rows) {
        if (row.textsKey === undefined) continue;
        const texts = JSON.stringify([row.accountId, row.title, row.type, row.subregionName, row.resourceId]);
        expect(byKey.get(row.textsKey) ?? texts).toBe(texts);
        byKey.set(row.textsKey, texts);
      }
      expect(byKey.size).toBeGreaterThan(1);
    }
  });
});
