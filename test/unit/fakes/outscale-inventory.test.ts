import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OutscaleFake, startOutscaleFake } from "../../fakes/outscale";
import { outscaleCall } from "./clients";

const ACCOUNT = {
  accountId: "123456789012",
  accessKey: "AKFAKEOUTSCALE000001",
  secretKey: "FAKESECRETOUTSCALE0000000000000000000001",
  email: "ops@example.com",
};
const OTHER = "999999999999";

let fake: OutscaleFake;
const call = (action: string, body: unknown = {}) =>
  outscaleCall(fake.url, action, body, { accessKey: ACCOUNT.accessKey, secretKey: ACCOUNT.secretKey });

async function readAll(action: string, key: string, perPage: number, filters?: unknown) {
  const items: Array<Record<string, unknown>> = [];
  let token: unknown;
  let pages = 0;
  do {
    const reply = await call(action, { ResultsPerPage: perPage, Filters: filters, NextPageToken: token });
    expect(reply.status).toBe(200);
    items.push(...(reply.json[key] as Array<Record<string, unknown>>));
    token = reply.json.NextPageToken;
    pages++;
  } while (token);
  return { items, pages };
}

beforeAll(async () => {
  fake = await startOutscaleFake({ accounts: [ACCOUNT] });
});
afterAll(() => fake.stop());

describe("OUTSCALE fake: inventory reads", () => {
  it("pages with ResultsPerPage (default 100) and an opaque NextPageToken, sorted by date then id", async () => {
    const seeded = fake.seed(ACCOUNT.accountId, "Vms", 250);
    const first = await call("ReadVms");
    expect(first.json.Vms).toHaveLength(100);
    expect(first.json.NextPageToken).toEqual(expect.any(String));
    const { items, pages } = await readAll("ReadVms", "Vms", 40);
    expect(pages).toBe(7);
    expect(new Set(items.map((vm) => vm.VmId)).size).toBe(250);
    expect(new Set(items.map((vm) => vm.VmId))).toEqual(new Set(seeded.map((vm) => vm.VmId)));
    const times = items.map((vm) => Date.parse(String(vm.CreationDate).replace(/\+0000$/, "Z")));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await readAll("ReadVms", "Vms", 1000)).pages).toBe(1);
    expect((await readAll("ReadVms", "Vms", 125)).pages).toBe(2);
  });

  it("generates realistic objects: ids, tags, sometimes OUTSCALE's +0000 dates", async () => {
    const { items } = await readAll("ReadVms", "Vms", 1000);
    for (const vm of items) {
      expect(vm.VmId).toMatch(/^i-[0-9a-f]{8}$/);
      expect(vm.Tags).toEqual(expect.arrayContaining([{ Key: "Name", Value: expect.any(String) }]));
      expect(vm.Placement).toEqual({
        SubregionName: expect.stringMatching(/^eu-west-2[abc]$/),
        Tenancy: "default",
      });
    }
    const dates = items.map((vm) => String(vm.CreationDate));
    expect(dates.some((date) => date.endsWith("+0000"))).toBe(true);
    expect(dates.some((date) => date.endsWith("Z"))).toBe(true);
    const prefixes = {
      Volumes: "vol-",
      Snapshots: "snap-",
      Images: "ami-",
      PublicIps: "eipalloc-",
      Nets: "vpc-",
      Subnets: "subnet-",
      SecurityGroups: "sg-",
      NatServices: "nat-",
      InternetServices: "igw-",
      RouteTables: "rtb-",
    } as const;
    for (const [kind, prefix] of Object.entries(prefixes)) {
      const [resource] = fake.seed(ACCOUNT.accountId, kind as keyof typeof prefixes, 1);
      expect(
        Object.values(resource!).some((value) => typeof value === "string" && value.startsWith(prefix)),
      ).toBe(true);
    }
  });

  it("refuses a ResultsPerPage outside 1-1000 and a forged NextPageToken", async () => {
    for (const body of [
      { ResultsPerPage: 0 },
      { ResultsPerPage: 1001 },
      { NextPageToken: "bm90LWEtdG9rZW4=" },
    ]) {
      expect(await call("ReadVolumes", body)).toMatchObject({
        status: 400,
        json: { Errors: [{ Type: "InvalidParameterValue" }] },
      });
    }
  });

  it("shows public images of other accounts unless Filters.AccountIds narrows to one's own", async () => {
    const before = (await readAll("ReadImages", "Images", 1000)).items;
    const own = [...before, ...fake.seed(ACCOUNT.accountId, "Images", 3)];
    fake.seed(OTHER, "Images", 2, { public: true });
    fake.seed(OTHER, "Images", 4);
    expect((await readAll("ReadImages", "Images", 1000)).items).toHaveLength(own.length + 2);
    const mine = await readAll("ReadImages", "Images", 1000, { AccountIds: [ACCOUNT.accountId] });
    expect(mine.items.map((image) => image.ImageId).sort()).toEqual(own.map((image) => image.ImageId).sort());
    fake.seed(OTHER, "Snapshots", 2, { public: true });
    const all = (await readAll("ReadSnapshots", "Snapshots", 10)).items;
    const snapshots = (await readAll("ReadSnapshots", "Snapshots", 10, { AccountIds: [ACCOUNT.accountId] }))
      .items;
    expect(all.length - snapshots.length).toBe(2);
    expect(snapshots.every((snapshot) => snapshot.AccountId === ACCOUNT.accountId)).toBe(true);
  });

  it("reflects addResource, updateResource and removeResource", async () => {
    const net = fake.addResource(ACCOUNT.accountId, "Nets", { NetId: "vpc-0000abcd", Tags: [] });
    expect((await readAll("ReadNets", "Nets", 1000, { NetIds: ["vpc-0000abcd"] })).items).toEqual([net]);
    fake.updateResource(ACCOUNT.accountId, "Nets", "vpc-0000abcd", { State: "deleting" });
    expect((await readAll("ReadNets", "Nets", 1000, { NetIds: ["vpc-0000abcd"] })).items[0]?.State).toBe(
      "deleting",
    );
    expect(fake.removeResource(ACCOUNT.accountId, "Nets", "vpc-0000abcd")).toBe(true);
    expect((await readAll("ReadNets", "Nets", 1000, { NetIds: ["vpc-0000abcd"] })).items).toEqual([]);
  });

  it("answers ReadLoadBalancers in one go, without pagination", async () => {
    fake.seed(ACCOUNT.accountId, "LoadBalancers", 150);
    const reply = await call("ReadLoadBalancers");
    expect(reply.json.LoadBalancers).toHaveLength(150);
    expect(reply.json.NextPageToken).toBeUndefined();
  });
});

describe("OUTSCALE fake: ReadConsumptionAccount", () => {
  const line = (date: string, ResourceId: string, Value: number) => ({
    date,
    Category: "compute",
    Service: "TinaOS-FCU",
    Operation: "RunInstances-OD",
    Type: "BoxUsage:tinav6.c2r4p2",
    Title: "Instance - On demand - tinav6.c2r4p2 - par hour",
    SubregionName: "eu-west-2a",
    ResourceId,
    Value,
    UnitPrice: 0.05,
  });

  it("sums the days of [FromDate, ToDate), with prices and resource details on demand", async () => {
    fake.setConsumption(
      ACCOUNT.accountId,
      [
        line("2025-03-01", "i-00000001", 24),
        line("2025-03-02", "i-00000002", 24),
        line("2025-03-03", "i-00000001", 24),
      ],
      "EUR",
    );
    const plain = await call("ReadConsumptionAccount", { FromDate: "2025-03-01", ToDate: "2025-03-03" });
    expect(plain.json.Currency).toBe("EUR");
    expect(plain.json.ConsumptionEntries).toEqual([
      expect.objectContaining({
        AccountId: ACCOUNT.accountId,
        Service: "TinaOS-FCU",
        Value: 48,
        FromDate: "2025-03-01T00:00:00.000+0000",
        ToDate: "2025-03-03T00:00:00.000+0000",
      }),
    ]);
    expect((plain.json.ConsumptionEntries as object[])[0]).not.toHaveProperty("Price");
    const detailed = await call("ReadConsumptionAccount", {
      FromDate: "2025-03-01",
      ToDate: "2025-03-04",
      ShowPrice: true,
      ShowResourceDetails: true,
    });
    expect(detailed.json.ConsumptionEntries).toEqual([
      expect.objectContaining({ ResourceId: "i-00000001", Value: 48, UnitPrice: 0.05, Price: 2.4 }),
      expect.objectContaining({ ResourceId: "i-00000002", Value: 24, Price: 1.2 }),
    ]);
  });

  it("refuses missing dates and an empty window", async () => {
    expect((await call("ReadConsumptionAccount", {})).status).toBe(400);
    expect(
      (await call("ReadConsumptionAccount", { FromDate: "2025-03-02", ToDate: "2025-03-01" })).status,
    ).toBe(400);
    expect(
      (await call("ReadConsumptionAccount", { FromDate: "2025-03-01T00:00:00.000Z", ToDate: "2025-03-02" }))
        .status,
    ).toBe(200);
  });
});
