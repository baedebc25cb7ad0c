import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { UnreadableBillingFile } from "../../../shared/domain/finops/errors";
import { gzip, HEADER, parseAll } from "./helpers";

async function reasonOf(content: string | Buffer, key: string): Promise<string> {
  try {
    await parseAll(content, key);
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableBillingFile);
    return (error as UnreadableBillingFile).reason;
  }
  throw new Error("expected UnreadableBillingFile");
}

describe("unreadable billing files", () => {
  it("refuses a corrupt gzip", async () => {
    const broken = Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(200)]);
    expect(await reasonOf(broken, "a.csv.gz")).toMatch(/gzip/);
    const truncated = gzip(`${HEADER}\n`).subarray(0, 20);
    expect(await reasonOf(truncated, "a.csv.gz")).toMatch(/gzip/);
  });

  it("refuses random bytes whatever the key says", async () => {
    const noise = Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 37 + 1) % 256));
    for (const key of ["a.csv", "a.json", "a.ndjson", "unnamed"]) {
      expect(await reasonOf(noise, key), key).toMatch(/binary/);
    }
  });

  it("refuses a CSV without the required columns, naming them", async () => {
    expect(await reasonOf(`${HEADER.replace("AccountId,", "")}\n1,2\n`, "a.csv")).toMatch(/AccountId/);
    expect(await reasonOf(`${HEADER.replace("AccountId,", "")}\n1,2\n`, "a.csv")).not.toMatch(
      /PayingAccountId/,
    );
  });

  it("refuses empty files and text that is neither CSV nor JSON", async () => {
    expect(await reasonOf("", "a.csv")).toMatch(/empty/);
    expect(await reasonOf("hello world\nno commas here\n", "unnamed")).toMatch(/neither CSV nor JSON/);
    expect(await reasonOf('"just a string"', "a.json")).toMatch(/neither an object nor an array/);
  });

  it("still reads the same content when it is well formed (the matching positive case)", async () => {
    const csv = `${HEADER}\n1,2,compute,TinaOS-FCU,Run,T,Title,eu-west-2a,i-1,2023-06-01,2023-06-02,1,0.1,0.1,EUR\n`;
    expect((await parseAll(gzip(csv), "a.csv.gz")).rows).toHaveLength(1);
    expect((await parseAll(csv, "unnamed")).rows).toHaveLength(1);
  });
});
