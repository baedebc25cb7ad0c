import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ConsumptionRow } from "../../../shared/domain/finops/consumption";
import { decimal } from "../../../shared/domain/finops/decimal";
import {
  classifyService,
  FOCUS_COLUMNS,
  FOCUS_MANDATORY_COLUMNS,
  regionOf,
  toFocusRecord,
} from "../../../shared/domain/finops/focus";
import { focusCsvLine, focusCsvStream } from "../../../shared/domain/finops/focus-csv";
import { parseCsvRecords } from "../../../shared/domain/finops/parse";
import { chunked, collect } from "./helpers";

const row: ConsumptionRow = {
  kind: "row",
  line: 2,
  accountId: "123456789012",
  payingAccountId: "999999999999",
  category: "compute",
  service: "TinaOS-FCU",
  operation: "RunInstances-OD",
  type: "BoxUsage:tinav5.c2r4p2",
  title: 'Instance "tinav5", hourly\nsecond line',
  subregionName: "eu-west-2a",
  resourceId: "i-12345678",
  fromDate: "2023-12-31T00:00:00.000Z",
  toDate: "2024-01-01T00:00:00.000Z",
  quantity: decimal("24"),
  unitPrice: decimal("0.05"),
  price: decimal("1.2"),
  currency: "EUR",
};
const context = { credentialId: "cred-1" };
const {
  price: _price,
  unitPrice: _unitPrice,
  subregionName: _subregion,
  resourceId: _resource,
  ...bare
} = row;

describe("FOCUS records", () => {
  it("have exactly FOCUS_COLUMNS, with every mandatory column present and filled from the row", () => {
    const record = toFocusRecord(row, { ...context, billingAccountName: "Acme" });
    expect(Object.keys(record).sort()).toEqual([...FOCUS_COLUMNS].sort());
    for (const column of FOCUS_MANDATORY_COLUMNS) {
      if (column === "ChargeClass")
        expect(record[column]).toBeNull(); // null by spec: not a correction
      else expect(record[column], column).not.toBeNull();
    }
    expect(record).toMatchObject({
      BilledCost: "1.2",
      EffectiveCost: "1.2",
      ListCost: "1.2",
      ContractedCost: "1.2",
      ListUnitPrice: "0.05",
      PricingQuantity: "24",
      ConsumedQuantity: "24",
      BillingAccountId: "999999999999",
      SubAccountId: "123456789012",
      BillingAccountName: "Acme",
      BillingPeriodStart: "2023-12-01T00:00:00.000Z",
      BillingPeriodEnd: "2024-01-01T00:00:00.000Z",
      ChargePeriodStart: "2023-12-31T00:00:00.000Z",
      RegionId: "eu-west-2",
      AvailabilityZone: "eu-west-2a",
      ServiceCategory: "Compute",
      ServiceSubcategory: "Virtual Machines",
      x_CredentialId: "cred-1",
      x_Operation: "RunInstances-OD",
    });
  });

  it("leave costs null when the export has no Price, never Value × UnitPrice", () => {
    const record = toFocusRecord({ ...bare, unitPrice: decimal("0.05") }, context);
    for (const column of ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost"] as const) {
      expect(record[column]).toBeNull();
    }
    expect(record.ListUnitPrice).toBe("0.05");
    expect(record.ResourceId).toBeNull();
    expect(record.RegionId).toBeNull();
    expect(record.BillingAccountName).toBeNull();
    expect(Object.keys(record)).toHaveLength(FOCUS_COLUMNS.length);
  });

  it("maps services to FOCUS categories, unknown ones to Other", () => {
    expect(classifyService("TinaOS-OOS", "storage").category).toBe("Storage");
    expect(classifyService("TinaOS-OSU", "storage").subcategory).toBe("Object Storage");
    expect(classifyService("TinaOS-LBU", "network").category).toBe("Networking");
    expect(classifyService("TinaOS-DirectLink", "network").category).toBe("Networking");
    expect(classifyService("OKS", "compute").subcategory).toBe("Containers");
    expect(classifyService("TinaOS-FCU", "Storage volume").subcategory).toBe("Block Storage");
    expect(classifyService("Unheard-Of", "compute")).toEqual({
      category: "Other",
      subcategory: "Other (Other)",
    });
    expect(regionOf("eu-west-2a")).toBe("eu-west-2");
    expect(regionOf("cloudgouv-eu-west-1")).toBe("cloudgouv-eu-west-1");
  });
});

describe("FOCUS gzip CSV", () => {
  it("writes a header once and rows that our CSV parser reads back (line breaks flattened for Athena)", async () => {
    const records = [toFocusRecord(row, context), toFocusRecord(bare, context)];
    const output: Buffer[] = [];
    const lineBytes = records.map((record) => Buffer.from(focusCsvLine(record)));
    await pipeline(Readable.from(lineBytes), focusCsvStream(), async (bytes: AsyncIterable<Buffer>) => {
      for await (const chunk of bytes) output.push(chunk);
    });
    const csv = gunzipSync(Buffer.concat(output));
    const [header, ...lines] = await collect(parseCsvRecords(chunked(csv, 13)));
    expect(header?.fields).toEqual([...FOCUS_COLUMNS]);
    expect(lines).toHaveLength(2);
    lines.forEach((line, index) => {
      const record = records[index]!;
      const expected = FOCUS_COLUMNS.map((column) => (record[column] ?? "").replace(/\r\n|\r|\n/g, " "));
      expect(line.fields).toEqual(expected);
    });
    expect(lines[0]?.fields[FOCUS_COLUMNS.indexOf("ChargeDescription")]).toBe(
      row.title.replace(/\r\n|\r|\n/g, " "),
    );
  });

  it("fails the pipeline, rather than closing a truncated file as complete, when the source fails", async () => {
    async function* failing() {
      yield Buffer.from(focusCsvLine(toFocusRecord(row, context)));
      throw new Error("source broke");
    }
    const output: Buffer[] = [];
    await expect(
      pipeline(failing(), focusCsvStream(), async (bytes: AsyncIterable<Buffer>) => {
        for await (const chunk of bytes) output.push(chunk);
      }),
    ).rejects.toThrow(/source broke/);
    expect(() => gunzipSync(Buffer.concat(output))).toThrow();
  });
});

describe("FOCUS CSV lines built straight from rows", () => {
  it("equal focusCsvLine(toFocusRecord(row)) for rows with and without the optional fields", async () => {
    const { FocusCsvEncoder } = await import("../../../shared/domain/finops/focus-csv");
    const { CsvBytes } = await import("../../../shared/domain/finops/csv-bytes");
    const variants: ConsumptionRow[] = [
      row,
      bare,
      { ...row, service: "OKS", category: "storage", subregionName: "cloudgouv-eu-west-1" },
      { ...row, service: "TinaOS-FCU", category: "snapshot, daily", price: decimal("-0.000000001") },
      { ...row, fromDate: "2024-02-29T23:00:00.000Z", quantity: decimal("123456789012.123456789") },
      { ...row, accountId: 'a"b', operation: "op,x", resourceId: "r\r1", type: "T,1" },
      { ...row, title: "Überweisung – crédit ✓", subregionName: "eu-wést-2a", category: "répertoire" },
      { ...row, subregionName: "eu,west-2b", type: "C:\\meter", payingAccountId: "pay\nco" },
      { ...row, quantity: decimal("0"), price: decimal("9007199.254740993"), unitPrice: decimal("-1e-9") },
      { ...row, quantity: decimal("-12.5"), price: decimal("-98765432109876.5"), unitPrice: decimal("100") },
    ];
    for (const context of [
      { credentialId: "cred-1" },
      { credentialId: "c,2", billingAccountName: 'A "B"' },
    ]) {
      const encoder = new FocusCsvEncoder(context);
      const out = new CsvBytes(64);
      for (const variant of [...variants, ...variants]) {
        encoder.write(variant, out);
        const written = out.take().toString("utf8");
        expect(written).toBe(focusCsvLine(toFocusRecord(variant, context)));
      }
    }
  });

  it("FocusCsvWriter writes the same gzip CSV as one record's line per write", async () => {
    const { FocusCsvWriter } = await import("../../../shared/domain/finops/focus-csv");
    const rows = Array.from({ length: 3000 }, (_, index) => ({ ...(index % 2 ? row : bare), line: index }));
    const viaRecords: Buffer[] = [];
    await pipeline(
      Readable.from(rows.map((item) => Buffer.from(focusCsvLine(toFocusRecord(item, context))))),
      focusCsvStream(),
      async (bytes: AsyncIterable<Buffer>) => {
        for await (const chunk of bytes) viaRecords.push(chunk);
      },
    );
    const encoder = focusCsvStream();
    const viaWriter: Buffer[] = [];
    const read = (async () => {
      for await (const chunk of encoder) viaWriter.push(chunk as Buffer);
    })();
    const writer = new FocusCsvWriter(
      {
        write: async (chunk) => {
          if (!encoder.write(chunk)) await new Promise((resolve) => encoder.once("drain", resolve));
        },
        done: async () => {
          encoder.end();
          await read;
        },
      },
      context,
      4096, // small chunks, so many writes
    );
    for (const item of rows) if (writer.add(item)) await writer.flush();
    await writer.end();
    expect(gunzipSync(Buffer.concat(viaWriter)).toString()).toBe(
      gunzipSync(Buffer.concat(viaRecords)).toString(),
    );
  });
});

describe("FOCUS lines of parsed rows (texts shared, shapes cached)", () => {
  it("equal the record path while currency, dates, unit price and texts vary between rows", async () => {
    const { FocusCsvWriter } = await import("../../../shared/domain/finops/focus-csv");
    const { HEADER, parseAll } = await import("./helpers");
    const lines: string[] = [];
    for (let index = 0; index < 600; index++) {
      const resource = `i-${index % 7}`;
      const title = index % 5 === 0 ? '"Box, hourly"' : "Box hourly";
      const hour = String(index % 24).padStart(2, "0");
      const day = String(1 + (Math.floor(index / 24) % 28)).padStart(2, "0");
      const month = index % 11 === 0 ? "07" : "06";
      const unitPrice = index % 13 === 0 ? "0.05" : "0.04";
      const currency = index % 17 === 0 ? "USD" : "EUR";
      const price = index % 9 === 0 ? "" : `0.0${index % 10}`;
      lines.push(
        `123,999,compute,TinaOS-FCU,Run,Box,${title},eu-west-2${"ab"[index % 2]},${resource},2023-${month}-${day}T${hour}:00:00Z,2023-${month}-${day}T${hour}:59:59Z,${index % 4}.5,${unitPrice},${price},${currency}`,
      );
    }
    const { rows, problems } = await parseAll([HEADER, ...lines].join("\n"), "mixed.csv", 4096);
    expect(problems).toEqual([]);
    expect(rows.filter((row) => row.textsKey !== undefined).length).toBeGreaterThan(400);
    const written: Buffer[] = [];
    const writer = new FocusCsvWriter(
      {
        write: async (chunk) => {
          written.push(Buffer.from(chunk));
        },
        done: async () => {},
      },
      context,
      512, // small chunks: many hand-overs, lines split across them
    );
    for (const item of rows) if (writer.add(item)) await writer.flush();
    await writer.end();
    expect(Buffer.concat(written).toString("utf8")).toBe(
      rows.map((item) => focusCsvLine(toFocusRecord(item, context))).join(""),
    );
  });
});

describe("CSV bytes", () => {
  it("write nano amounts exactly as formatDecimal does", async () => {
    const { CsvBytes } = await import("../../../shared/domain/finops/csv-bytes");
    const { formatDecimal } = await import("../../../shared/domain/finops/decimal");
    const samples = [0n, 1n, -1n, 9n, 10n, 999_999_999n, 1_000_000_000n, -1_000_000_001n];
    samples.push(
      BigInt(Number.MAX_SAFE_INTEGER),
      -BigInt(Number.MAX_SAFE_INTEGER),
      2n ** 64n,
      -(2n ** 70n) - 3n,
    );
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let index = 0; index < 20_000; index++) {
      const digits = String(random())
        .repeat(1 + (index % 3))
        .slice(0, 1 + (random() % 16));
      samples.push(index % 2 === 0 ? BigInt(digits) : -BigInt(digits));
    }
    const out = new CsvBytes(64);
    for (const value of samples) {
      out.nano(value);
      expect(out.take().toString("latin1"), String(value)).toBe(formatDecimal(value));
    }
  });
});

describe("FOCUS CSV for Athena's OpenCSVSerde", () => {
  it("keeps every record on one line and doubles backslashes", async () => {
    const { csvField } = await import("../../../shared/domain/finops/csv-bytes");
    expect(csvField("Volume,\nsecond line")).toBe('"Volume, second line"');
    expect(csvField("a\r\nb")).toBe('"a b"');
    expect(csvField('C:\\path "x"')).toBe('"C:\\\\path ""x"""');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
  });
});
