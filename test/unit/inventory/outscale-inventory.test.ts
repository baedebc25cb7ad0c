import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CredentialRejected,
  ResourceTypeFailed,
  UnknownResourceType,
} from "../../../shared/domain/inventory/collector";
import type { InventoryResource } from "../../../shared/domain/inventory/resource";
import type { ProviderEnvironment } from "../../../shared/providers/environment";
import { OutscaleInventory } from "../../../shared/providers/outscale/inventory";
import { type OutscaleFake, type ResourceKind, startOutscaleFake } from "../../fakes/outscale";

const OWNER = {
  accountId: "123456789012",
  accessKey: "AKFAKEINVENTORY00001",
  secretKey: "FAKESECRETINVENTORY000000000000000000001",
  email: "owner@example.com",
};
const NEIGHBOUR = {
  accountId: "210987654321",
  accessKey: "AKFAKEINVENTORY00002",
  secretKey: "FAKESECRETINVENTORY000000000000000000002",
  email: "neighbour@example.com",
};

/** Sizes chosen for several pages where it matters, few requests overall (5 req/s per key). */
const SEEDED: Record<string, { kind: ResourceKind; count: number }> = {
  vm: { kind: "Vms", count: 2500 },
  volume: { kind: "Volumes", count: 1001 },
  snapshot: { kind: "Snapshots", count: 1200 },
  image: { kind: "Images", count: 300 },
  "public-ip": { kind: "PublicIps", count: 40 },
  "load-balancer": { kind: "LoadBalancers", count: 1500 },
  net: { kind: "Nets", count: 12 },
  subnet: { kind: "Subnets", count: 30 },
  "security-group": { kind: "SecurityGroups", count: 25 },
  keypair: { kind: "Keypairs", count: 8 },
  "nat-service": { kind: "NatServices", count: 3 },
  "internet-service": { kind: "InternetServices", count: 4 },
  "route-table": { kind: "RouteTables", count: 15 },
};

let fake: OutscaleFake;
let environment: ProviderEnvironment;

beforeAll(async () => {
  fake = await startOutscaleFake({ region: "eu-west-2", accounts: [OWNER, NEIGHBOUR] });
  for (const { kind, count } of Object.values(SEEDED)) fake.seed(OWNER.accountId, kind, count);
  // Someone else's public and private images and snapshots: never in the owner's inventory.
  fake.seed(NEIGHBOUR.accountId, "Images", 150, { public: true });
  fake.seed(NEIGHBOUR.accountId, "Snapshots", 150, { public: true });
  fake.seed(NEIGHBOUR.accountId, "Images", 20);
  environment = {
    outscaleApiUrlTemplate: fake.urlTemplate,
    outscaleOosUrlTemplate: "http://127.0.0.1:1",
    cleverCloudApiUrl: "http://127.0.0.1:1",
    timeoutMs: 2000,
    retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50, jitterMs: 5 },
    publicAddressesOnly: false,
  };
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const inventory = (overrides: { secretKey?: string; region?: string } = {}, env = environment) =>
  new OutscaleInventory(
    {
      accessKey: OWNER.accessKey,
      secretKey: OWNER.secretKey,
      accountId: OWNER.accountId,
      region: "eu-west-2",
      ...overrides,
    },
    env,
  );

async function collectAll(iterable: AsyncIterable<InventoryResource>): Promise<InventoryResource[]> {
  const records: InventoryResource[] = [];
  for await (const record of iterable) records.push(record);
  return records;
}

function fakeIds(accountId: string, kind: ResourceKind, idField: string): string[] {
  return fake.store.list(accountId, kind).map((resource) => String(resource[idField]));
}

const ID_FIELDS: Record<ResourceKind, string> = {
  Vms: "VmId",
  Volumes: "VolumeId",
  Snapshots: "SnapshotId",
  Images: "ImageId",
  PublicIps: "PublicIpId",
  Nets: "NetId",
  Subnets: "SubnetId",
  SecurityGroups: "SecurityGroupId",
  Keypairs: "KeypairId",
  NatServices: "NatServiceId",
  InternetServices: "InternetServiceId",
  RouteTables: "RouteTableId",
  LoadBalancers: "LoadBalancerName",
};

describe("OUTSCALE inventory", () => {
  it("yields exactly the account's resources of every type, across pages, once each", async () => {
    const collector = inventory();
    expect([...collector.resourceTypes].sort()).toEqual(Object.keys(SEEDED).sort());
    for (const type of collector.resourceTypes) {
      const { kind } = SEEDED[type]!;
      const records = await collectAll(collector.collect(type));
      const ids = records.map((record) => record.id);
      expect(new Set(ids).size, `${type}: no duplicates`).toBe(ids.length);
      expect(ids.sort(), `${type}: no gaps, nothing foreign`).toEqual(
        fakeIds(OWNER.accountId, kind, ID_FIELDS[kind]).sort(),
      );
      expect(records.every((record) => record.type === type && record.accountId === OWNER.accountId)).toBe(
        true,
      );
    }
    // ResultsPerPage 1000 (the fake defaults to 100): 2,500 VMs are 3 pages, 1,001 volumes 2.
    expect(fake.attempts("ReadVms")).toBe(3);
    expect(fake.attempts("ReadVolumes")).toBe(2);
    expect(fake.attempts("ReadSnapshots")).toBe(2);
    // Not paginated: one call for 1,500 load balancers.
    expect(fake.attempts("ReadLoadBalancers")).toBe(1);
  });

  it("streams: the first VM comes after at most the first page and its prefetch", async () => {
    const iterator = inventory().collect("vm")[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(fake.attempts("ReadVms")).toBeLessThanOrEqual(2);
    await iterator.return?.();
  });

  it("maps an OUTSCALE VM to the normalised record, reading the +0000 date", async () => {
    fake.addResource(OWNER.accountId, "Vms", {
      VmId: "i-0000feed",
      VmType: "tinav6.c2r4p2",
      State: "running",
      Placement: { SubregionName: "eu-west-2b", Tenancy: "default" },
      CreationDate: "2023-06-01T00:00:00.000+0000",
      PrivateIp: "10.0.1.2",
      Tags: [
        { Key: "Name", Value: "web-1" },
        { Key: "env", Value: "prod" },
      ],
    });
    try {
      const records = await collectAll(inventory().collect("vm"));
      const vm = records.find((record) => record.id === "i-0000feed");
      expect(vm).toMatchObject({
        provider: "outscale",
        accountId: OWNER.accountId,
        region: "eu-west-2",
        zone: "eu-west-2b",
        type: "vm",
        id: "i-0000feed",
        name: "web-1",
        state: "running",
        tags: { Name: "web-1", env: "prod" },
        createdAt: "2023-06-01T00:00:00.000Z",
        attributes: { VmType: "tinav6.c2r4p2", PrivateIp: "10.0.1.2" },
      });
    } finally {
      fake.removeResource(OWNER.accountId, "Vms", "i-0000feed");
    }
  });

  it("names resources without a Name tag from their own name field", async () => {
    const [keypair] = fake.seed(OWNER.accountId, "Keypairs", 1, { overrides: { Tags: [] } });
    try {
      const records = await collectAll(inventory().collect("keypair"));
      const found = records.find((record) => record.id === keypair!.KeypairId);
      expect(found?.name).toBe(keypair!.KeypairName);
      expect(found?.createdAt).toBeNull();
    } finally {
      fake.removeResource(OWNER.accountId, "Keypairs", String(keypair!.KeypairId));
    }
  });

  it("retries a 429 and a 503 and still completes the type", async () => {
    fake.failNext(429, 1, { action: "ReadVms" });
    fake.failNext(503, 1, { action: "ReadVms" });
    const records = await collectAll(inventory().collect("vm"));
    expect(records).toHaveLength(SEEDED.vm!.count);
    expect(fake.attempts("ReadVms")).toBe(5);
  });

  it("a type refused by the policy fails alone; the other types still work", async () => {
    fake.failAction("ReadVolumes", 401, "4");
    const failure = await collectAll(inventory().collect("volume")).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ResourceTypeFailed);
    expect(failure).toMatchObject({ type: "volume", reason: "permission", retryable: false });
    expect(fake.attempts("ReadVolumes")).toBe(1);
    expect(await collectAll(inventory().collect("net"))).toHaveLength(SEEDED.net!.count);
  });

  it("throttling past the retry budget is a retryable type failure", async () => {
    fake.failAction("ReadNets", 503);
    const failure = await collectAll(inventory().collect("net")).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: "net", reason: "throttled", retryable: true, partial: false });
    expect(fake.attempts("ReadNets")).toBe(4);
  });

  it("a failure after the first page says the type is partial", async () => {
    const iterator = inventory().collect("vm")[Symbol.asyncIterator]();
    await iterator.next();
    fake.failAction("ReadVms", 401, "5");
    const failure = await (async () => {
      for (;;) if ((await iterator.next()).done) return undefined;
    })().catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: "permission", partial: true });
  });

  it("a wrong secret is CredentialRejected after exactly one request", async () => {
    const failure = await collectAll(
      inventory({ secretKey: "WRONGSECRET0000000000000000000000000000X" }).collect("vm"),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CredentialRejected);
    expect(failure).toMatchObject({ permanent: true });
    expect(fake.requests).toHaveLength(1);
  });

  it("an unreachable endpoint is a retryable network failure", async () => {
    const closed = { ...environment, outscaleApiUrlTemplate: "http://127.0.0.1:1/{region}/api/v1" };
    const failure = await collectAll(inventory({}, closed).collect("vm")).catch((error: unknown) => error);
    expect(failure).toMatchObject({ type: "vm", reason: "network", retryable: true });
  });

  it("an unknown type is a caller error", async () => {
    await expect(collectAll(inventory().collect("bucket"))).rejects.toBeInstanceOf(UnknownResourceType);
  });
});
