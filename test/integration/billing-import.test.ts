import { gunzipSync, gzipSync } from "node:zlib";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeS3Client } from "../../local/emulators";
import { DynamoDbCostStore } from "../../shared/adapters/dynamodb/cost-store";
import type { InProcessQueue } from "../../shared/adapters/queue/in-process";
import { objectIdOf } from "../../shared/domain/billing/imports";
import { FOCUS_COLUMNS } from "../../shared/domain/finops/focus";
import { parseCsvRecords } from "../../shared/domain/finops/parse";
import { type OutscaleFake, startOutscaleFake } from "../fakes/outscale";
import { startTestApi, type TestApi } from "../support/api";
import { billingBody, leakedSecrets } from "../support/fixtures";

const EXPORTS = "finops-exports";
const REPORTS = "reports-test";
const s3 = makeS3Client(inject("s3Endpoint"));

// Hand-computed: CSV 2.40 + 0.1 + 0.2 = 2.70; JSON 1.15 + 0.05 = 1.20; NDJSON 0.333 + 0.333 + 0.334 = 1.00.
const CSV = [
  "\uFEFFAccount Id,paying_account_id,CATEGORY,Service,Operation,Type,Title,SubregionName,ResourceId,FromDate,ToDate,Value,UnitPrice,Price,Currency",
  '123456789012,123456789012,compute,TinaOS-FCU,RunInstances-OD,BoxUsage:tinav5.c2r4p2,"VM, 2 vCPU ""standard""",eu-west-2a,i-00000001,2026-10-01T00:00:00.000+0000,2026-10-02T00:00:00.000+0000,24,0.1,2.40,EUR',
  '123456789012,123456789012,storage,TinaOS-FCU,CreateVolume-Gp2,BSU:VolumeUsage:gp2,"Volume,\nsecond line",eu-west-2a,vol-00000001,2026-10-01T00:00:00Z,2026-10-02T00:00:00Z,100,0.001,0.1,EUR',
  "123456789012,123456789012,compute,TinaOS-FCU,RunInstances-OD,BoxUsage:tinav5.c2r4p2,VM,eu-west-2a,i-00000001,2026-10-02T00:00:00.000+0000,2026-10-03T00:00:00.000+0000,24,0.1,0.2,EUR",
  "123456789012,123456789012,compute,TinaOS-FCU,RunInstances-OD,BoxUsage,broken row,eu-west-2a,i-1,not-a-date,2026-10-03,x,0.1,0.2,EUR",
  "",
].join("\r\n");

const jsonDocument = (objectStoragePrice: string) =>
  JSON.stringify({
    ConsumptionEntries: [
      entry({
        Service: "TinaOS-OOS",
        Category: "storage",
        Type: "OOS:Storage",
        Price: objectStoragePrice,
        Value: 10,
      }),
      entry({ Service: "TinaOS-LBU", Category: "network", Type: "LBU:Usage", Price: "0.05", Value: 1 }),
    ],
    Currency: "EUR",
  });

function entry(overrides: Record<string, unknown>) {
  return {
    AccountId: "123456789012",
    PayingAccountId: "123456789012",
    Operation: "Usage",
    Title: "usage",
    SubregionName: "eu-west-2b",
    FromDate: "2026-10-03T00:00:00.000+0000",
    ToDate: "2026-10-04T00:00:00.000+0000",
    ...overrides,
  };
}

const NDJSON = ["0.333", "0.333", "0.334"]
  .map((price, index) =>
    JSON.stringify(
      entry({
        Service: "OKS",
        Category: "compute",
        Type: "OKS:Control",
        Price: price,
        Value: 1,
        Currency: "EUR",
        ResourceId: `oks-${index}`,
      }),
    ),
  )
  .join("\n");

let api: TestApi;
let credentialId: string;

async function put(key: string, body: string | Buffer) {
  await s3.send(new PutObjectCommand({ Bucket: EXPORTS, Key: key, Body: body }));
}

async function runImport() {
  const started = await api.request("POST", `/v1/credentials/${credentialId}/billing-imports`);
  expect(started.status).toBe(202);
  const queue = api.services.importQueue as InProcessQueue<unknown>;
  await queue.idle();
  expect(queue.deadLetters).toEqual([]);
  return (await api.request("GET", `/v1/billing-imports/${started.json.importId}`)).json;
}

const costs = async (query = "") =>
  (await api.request("GET", `/v1/finops/costs?from=2026-10-01&to=2026-11-01${query}`)).json;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: EXPORTS }));
  await s3.send(new CreateBucketCommand({ Bucket: REPORTS }));
  await put("exports/2026-10.csv", CSV);
  await put("exports/2026-10.json", jsonDocument("1.15"));
  await put("exports/2026-10-oks.ndjson.gz", gzipSync(NDJSON));
  await put("exports/broken.csv.gz", Buffer.from("this is not gzip at all"));
  await put("elsewhere/ignored.csv", CSV);
  api = await startTestApi({
    OUTSCALE_OOS_URL_TEMPLATE: inject("s3Endpoint"),
    S3_ENDPOINT: inject("s3Endpoint"),
    REPORTS_BUCKET: REPORTS,
  });
  const body = billingBody("finops-billing");
  body.settings.buckets = [{ name: EXPORTS, region: "eu-west-2", prefix: "exports/" }];
  credentialId = (await api.request("POST", "/v1/credentials", { body })).json.id;
});
afterAll(() => api.stop());

describe("FinOps imports from billing buckets", () => {
  it("imports every accepted format, reports the corrupt file and the malformed row, and totals to the cent", async () => {
    const run = await runImport();
    expect(run).toMatchObject({
      status: "partial",
      listingComplete: true,
      filesSeen: 4,
      filesImported: 3,
      filesFailed: 1,
      filesSkipped: 0,
      rowsImported: 8,
      rowErrors: 1,
      finishedAt: expect.any(String),
    });
    const broken = run.problems.find((problem: { key: string }) => problem.key === "exports/broken.csv.gz");
    expect(broken.reason).toMatch(/gzip|not|read/i);
    const malformed = run.problems.find((problem: { key: string }) => problem.key === "exports/2026-10.csv");
    expect(malformed.rows[0].line).toBe(6);

    const byService = await costs("&groupBy=service");
    expect(byService).toMatchObject({ currency: "EUR", total: "4.90" });
    const services = Object.fromEntries(
      byService.groups.map((group: { key: { service: string }; cost: string }) => [
        group.key.service,
        group.cost,
      ]),
    );
    expect(services).toEqual({
      "TinaOS-FCU": "2.70",
      "TinaOS-OOS": "1.15",
      "TinaOS-LBU": "0.05",
      OKS: "1.00",
    });
    const byDay = await costs("&groupBy=day");
    expect(byDay.groups.map((group: { key: { day: string } }) => group.key.day).sort()).toEqual([
      "2026-10-01",
      "2026-10-02",
      "2026-10-03",
    ]);
  });

  it("changes nothing when run again", async () => {
    const run = await runImport();
    expect(run).toMatchObject({ filesSeen: 4, filesSkipped: 4, filesImported: 0, rowsImported: 0 });
    expect((await costs()).total).toBe("4.90");
  });

  it("replaces a changed object's contribution exactly, and keeps a deleted object's history", async () => {
    await put("exports/2026-10.json", jsonDocument("2.15"));
    const run = await runImport();
    expect(run).toMatchObject({ filesImported: 1, filesSkipped: 3 });
    expect((await costs()).total).toBe("5.90");
    await s3.send(new DeleteObjectCommand({ Bucket: EXPORTS, Key: "exports/2026-10.csv" }));
    await runImport();
    expect((await costs()).total).toBe("5.90");
  });

  it("counts nothing that an import wrote before crashing, ahead of its commit", async () => {
    const before = (await costs()).total;
    // What a worker leaves when it dies after writing a new version's costs but before the
    // manifest names that version: items under an ETag the manifest does not hold.
    await new DynamoDbCostStore(api.dynamodb, api.tableName).writeContribution(
      "acme",
      credentialId,
      objectIdOf({ bucket: EXPORTS, key: "exports/2026-10.json" }),
      "etag-of-a-crashed-run",
      [
        {
          day: "2026-10-03",
          currency: "EUR",
          service: "TinaOS-OOS",
          category: "storage",
          region: "eu-west-2",
          account: "123456789012",
          resource: "",
          cost: "1000",
          quantity: "1",
        },
      ],
    );
    expect((await costs()).total).toBe(before);
  });

  it("never adds currencies together", async () => {
    await put(
      "exports/usd.json",
      JSON.stringify([
        entry({
          Service: "TinaOS-FCU",
          Category: "compute",
          Type: "BoxUsage",
          Price: "5",
          Value: 1,
          Currency: "USD",
        }),
      ]),
    );
    await runImport();
    const reply = await costs("&groupBy=credential");
    expect(reply.currency).toBeNull();
    expect(reply.total).toBeNull();
    expect(reply.totals).toEqual([
      { currency: "EUR", total: "5.90", groupsWithoutPrice: 0 },
      { currency: "USD", total: "5.00", groupsWithoutPrice: 0 },
    ]);
    expect(reply.groups.every((group: { currency: string }) => ["EUR", "USD"].includes(group.currency))).toBe(
      true,
    );
  });

  it("writes FOCUS files, partitioned by tenant and billing month, that parse back with FOCUS's column names", async () => {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: REPORTS, Prefix: "finops/tenant=acme/billing_month=2026-10/" }),
    );
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    expect(keys.length).toBe(4);
    const object = await s3.send(new GetObjectCommand({ Bucket: REPORTS, Key: keys[0]! }));
    const text = gunzipSync(Buffer.from(await object.Body!.transformToByteArray()));
    const records = [];
    for await (const record of parseCsvRecords(
      (async function* () {
        yield text;
      })(),
    )) {
      records.push(record);
    }
    expect(records[0]!.fields).toEqual([...FOCUS_COLUMNS]);
    expect(records.length).toBeGreaterThan(1);
  });

  it("refuses bad cost queries and imports of credentials not in finops mode", async () => {
    expect((await api.request("GET", "/v1/finops/costs?from=2026-10-01")).status).toBe(400);
    expect(
      (await api.request("GET", "/v1/finops/costs?from=2026-10-01&to=2026-11-01&groupBy=colour")).json
        .errors[0].path,
    ).toBe("query.groupBy.0");
    expect((await api.request("GET", "/v1/finops/costs?from=2026-11-01&to=2026-10-01")).status).toBe(400);
    const outscale = await api.request("POST", "/v1/credentials", {
      body: {
        provider: "outscale",
        name: "inventory-only",
        settings: {
          accessKey: "AKFAKEOUTSCALE000009",
          secretKey: "S".repeat(40),
          accountId: "123456789012",
          region: "eu-west-2",
        },
      },
    });
    const refused = await api.request("POST", `/v1/credentials/${outscale.json.id}/billing-imports`);
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].path).toBe("modes");
  });

  it("runs on schedule: finds finops credentials across tenants, lists their buckets itself, one message per object", async () => {
    const inMode = await api.services.credentials.listInMode("finops");
    expect(inMode).toContainEqual({ tenant: "acme", id: credentialId, provider: "outscale-billing" });
    const run = await api.services.billingImports.start(
      { tenant: "acme", subject: "schedule" },
      credentialId,
      "schedule",
      {
        enumerateNow: true,
      },
    );
    const listed = await api.services.billingImports.getRun({ tenant: "acme", subject: "test" }, run.id);
    expect(listed).toMatchObject({ trigger: "schedule", listingComplete: true, filesSeen: 4 });
    await (api.services.importQueue as InProcessQueue<unknown>).idle();
    const done = await api.services.billingImports.getRun({ tenant: "acme", subject: "test" }, run.id);
    // The unreadable file is not retried at the same ETag: the same bytes would fail the same way.
    expect(done).toMatchObject({ status: "succeeded", filesSkipped: 4, filesFailed: 0 });
  });

  it("lists import runs newest first and leaks no secret", async () => {
    const runs = await api.request("GET", "/v1/billing-imports?limit=2");
    expect(runs.json.items).toHaveLength(2);
    expect(runs.json.nextCursor).toEqual(expect.any(String));
    expect(leakedSecrets([...api.responses, ...api.logLines])).toEqual([]);
  });
});

describe("FinOps imports from OUTSCALE's consumption API", () => {
  const ACCOUNT = {
    accountId: "123456789012",
    accessKey: "AKFAKECONSUMPTION001",
    secretKey: "FAKESECRETCONSUMPTION0000000000000000001",
    email: "finops@example.com",
  };
  const dayAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  let outscale: OutscaleFake;
  let apiWithFake: TestApi;

  beforeAll(async () => {
    outscale = await startOutscaleFake({ region: "eu-west-2", accounts: [ACCOUNT] });
    // Value x UnitPrice: 10 x 0.1 + 3 x 0.25 = 1.75 EUR over two days of the last month.
    outscale.setConsumption(ACCOUNT.accountId, [
      {
        date: dayAgo(5),
        Category: "compute",
        Service: "TinaOS-FCU",
        Operation: "RunInstances-OD",
        Type: "BoxUsage",
        Title: "VM",
        SubregionName: "eu-west-2a",
        ResourceId: "i-1",
        Value: 10,
        UnitPrice: 0.1,
      },
      {
        date: dayAgo(10),
        Category: "storage",
        Service: "TinaOS-OOS",
        Operation: "Storage",
        Type: "OOS:Storage",
        Title: "Bucket",
        SubregionName: "eu-west-2a",
        Value: 3,
        UnitPrice: 0.25,
      },
    ]);
    apiWithFake = await startTestApi({
      OUTSCALE_API_URL_TEMPLATE: outscale.urlTemplate,
      S3_ENDPOINT: inject("s3Endpoint"),
      REPORTS_BUCKET: REPORTS,
    });
  });
  afterAll(async () => {
    await apiWithFake.stop();
    await outscale.stop();
  });

  const createCredential = async (name: string, secretKey: string) =>
    (
      await apiWithFake.request("POST", "/v1/credentials", {
        body: {
          provider: "outscale",
          name,
          modes: ["finops"],
          settings: {
            accessKey: ACCOUNT.accessKey,
            secretKey,
            accountId: ACCOUNT.accountId,
            region: "eu-west-2",
          },
        },
      })
    ).json.id as string;

  it("reads the last month day by day and totals it", async () => {
    const id = await createCredential("consumption-api", ACCOUNT.secretKey);
    const started = await apiWithFake.request("POST", `/v1/credentials/${id}/billing-imports`);
    await (apiWithFake.services.importQueue as InProcessQueue<unknown>).idle();
    const run = (await apiWithFake.request("GET", `/v1/billing-imports/${started.json.importId}`)).json;
    expect(run).toMatchObject({ status: "succeeded", filesSeen: 31, filesImported: 31, rowsImported: 2 });
    const reply = await apiWithFake.request(
      "GET",
      `/v1/finops/costs?from=${dayAgo(40)}&to=${dayAgo(0)}&groupBy=service`,
    );
    expect(reply.json).toMatchObject({ currency: "EUR", total: "1.75" });
  });

  it("stops after one refused call instead of trying every day with a wrong key", async () => {
    const id = await createCredential("consumption-wrong", "WRONGSECRET0000000000000000000000000000X");
    outscale.requests.length = 0;
    const started = await apiWithFake.request("POST", `/v1/credentials/${id}/billing-imports`);
    await (apiWithFake.services.importQueue as InProcessQueue<unknown>).idle();
    const run = (await apiWithFake.request("GET", `/v1/billing-imports/${started.json.importId}`)).json;
    expect(run).toMatchObject({ status: "failed", filesFailed: 1 });
    expect(run.problems[0].reason).toMatch(/authentication failed/);
    expect(outscale.requests).toHaveLength(1);
  });
});
