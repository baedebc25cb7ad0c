import { gzipSync } from "node:zlib";
import type { ConsumptionItem, ConsumptionRow, RowProblem } from "../../../shared/domain/finops/consumption";
import { parseBillingObject } from "../../../shared/domain/finops/parse";

/** Bytes delivered in small slices, so every parser meets chunk boundaries mid-token. */
export async function* chunked(content: string | Buffer, size = 7): AsyncGenerator<Buffer> {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export async function parseAll(
  content: string | Buffer,
  key: string,
  chunkSize = 7,
  defaultCurrency?: string,
) {
  const items: ConsumptionItem[] = await collect(
    parseBillingObject(chunked(content, chunkSize), defaultCurrency ? { key, defaultCurrency } : { key }),
  );
  return {
    rows: items.filter((item): item is ConsumptionRow => item.kind === "row"),
    problems: items.filter((item): item is RowProblem => item.kind === "problem"),
  };
}

export const gzip = (text: string) => gzipSync(Buffer.from(text, "utf8"));

export const HEADER =
  "AccountId,PayingAccountId,Category,Service,Operation,Type,Title,SubregionName,ResourceId,FromDate,ToDate,Value,UnitPrice,Price,Currency";

export const ENTRY = {
  AccountId: "123456789012",
  PayingAccountId: "999999999999",
  Category: "compute",
  Service: "TinaOS-FCU",
  Operation: "RunInstances-OD",
  Type: "BoxUsage:tinav5.c2r4p2",
  Title: "Instance tinav5, hourly",
  SubregionName: "eu-west-2a",
  ResourceId: "i-12345678",
  FromDate: "2023-06-01T00:00:00.000+0000",
  ToDate: "2023-06-02T00:00:00.000+0000",
  Value: "24",
  UnitPrice: "0.05",
  Price: "1.2",
};
