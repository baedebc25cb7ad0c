import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CredentialRejected,
  ResourceTypeFailed,
  UnknownResourceType,
} from "../../../shared/domain/inventory/collector";
import type { InventoryResource } from "../../../shared/domain/inventory/resource";
import type { CleverCloudAuth } from "../../../shared/providers/clevercloud/client";
import { CleverCloudInventory } from "../../../shared/providers/clevercloud/inventory";
import type { ProviderEnvironment } from "../../../shared/providers/environment";
import {
  type CleverCloudFake,
  cleverAddon,
  cleverApplication,
  startCleverCloudFake,
} from "../../fakes/clevercloud";

const USER_ID = "user_11111111-2222-3333-4444-555555555555";
const ACME = "orga_aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const BETA = "orga_bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee";
const STRANGER = "orga_cccccccc-bbbb-cccc-dddd-eeeeeeeeeeee";

const personalApps = [cleverApplication({ name: "blog" }), cleverApplication({ name: "api" })];
const personalAddons = [cleverAddon({ name: "blog-db" })];
const acmeApps = [
  cleverApplication({
    name: "shop",
    zone: "rbx",
    state: "SHOULD_BE_DOWN",
    creationDate: 1_717_200_000_000,
  }),
  cleverApplication({ name: "worker" }),
  cleverApplication({ name: "cron" }),
];
const acmeAddons = [cleverAddon({ name: "shop-redis", region: "rbx" }), cleverAddon({ name: "shop-pg" })];
const betaApps = [cleverApplication({ name: "beta-site" })];
const strangerApps = [cleverApplication({ name: "not-ours" })];

let fake: CleverCloudFake;
let environment: ProviderEnvironment;

beforeAll(async () => {
  fake = await startCleverCloudFake();
  fake
    .addUser({
      id: USER_ID,
      email: "dev@example.com",
      name: "Dev",
      applications: personalApps,
      addons: personalAddons,
    })
    .addApiToken("api-token-inventory", USER_ID);
  fake.organisations.push(
    { id: ACME, name: "Acme", members: [USER_ID], applications: acmeApps, addons: acmeAddons },
    {
      id: BETA,
      name: "Beta",
      members: [{ userId: USER_ID, role: "DEVELOPER" }],
      applications: betaApps,
      addons: [],
    },
    { id: STRANGER, name: "Elsewhere", members: [], applications: strangerApps, addons: [] },
  );
  environment = {
    outscaleApiUrlTemplate: "http://127.0.0.1:1",
    outscaleOosUrlTemplate: "http://127.0.0.1:1",
    cleverCloudApiUrl: fake.url,
    timeoutMs: 2000,
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, jitterMs: 5 },
    publicAddressesOnly: false,
  };
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.failures.reset();
});

const auth = (apiToken = "api-token-inventory"): CleverCloudAuth => ({
  authType: "apiToken",
  apiToken,
  host: fake.url,
});

async function collectAll(iterable: AsyncIterable<InventoryResource>): Promise<InventoryResource[]> {
  const records: InventoryResource[] = [];
  for await (const record of iterable) records.push(record);
  return records;
}

const ids = (records: Array<{ id: string }>) => records.map((record) => record.id).sort();

describe("Clever Cloud inventory", () => {
  it("collects applications and add-ons of the personal space and every organisation", async () => {
    const collector = new CleverCloudInventory(auth(), environment);
    expect(collector.resourceTypes).toEqual(["application", "addon"]);
    const applications = await collectAll(collector.collect("application"));
    expect(ids(applications)).toEqual(ids([...personalApps, ...acmeApps, ...betaApps]));
    const addons = await collectAll(collector.collect("addon"));
    expect(ids(addons)).toEqual(ids([...personalAddons, ...acmeAddons]));
    // The owners are discovered once for both types.
    expect(fake.requests.filter((request) => request.path === "/v2/summary")).toHaveLength(1);
    expect(new Set(applications.map((record) => record.accountId))).toEqual(new Set([USER_ID, ACME, BETA]));
  });

  it("maps an application and an add-on to the normalised record", async () => {
    const collector = new CleverCloudInventory(auth(), environment, [ACME]);
    const shop = (await collectAll(collector.collect("application"))).find(
      (record) => record.name === "shop",
    );
    expect(shop).toEqual({
      provider: "clevercloud",
      accountId: ACME,
      region: "rbx",
      zone: "rbx",
      type: "application",
      id: acmeApps[0]!.id,
      name: "shop",
      state: "SHOULD_BE_DOWN",
      tags: {},
      createdAt: "2024-06-01T00:00:00.000Z",
      attributes: {
        instanceType: "node",
        variant: "node",
        minFlavor: "XS",
        maxFlavor: "S",
        minInstances: 1,
        maxInstances: 1,
        deploymentType: "GIT",
        archived: false,
      },
    });
    const redis = (await collectAll(collector.collect("addon"))).find(
      (record) => record.name === "shop-redis",
    );
    expect(redis).toMatchObject({
      accountId: ACME,
      region: "rbx",
      zone: "rbx",
      type: "addon",
      createdAt: "2024-01-01T00:00:00.000Z",
      attributes: { provider: "postgresql-addon", plan: "xs_sml", price: 15 },
    });
  });

  it("honours the configured organisation ids without asking for the others", async () => {
    const collector = new CleverCloudInventory(auth(), environment, [BETA]);
    expect(ids(await collectAll(collector.collect("application")))).toEqual(ids(betaApps));
    expect(fake.requests.map((request) => request.path)).toEqual([`/v2/organisations/${BETA}/applications`]);
  });

  it("an organisation it may not read fails the type after the others are collected", async () => {
    const collector = new CleverCloudInventory(auth(), environment, [STRANGER, BETA]);
    const collected: InventoryResource[] = [];
    const failure = await (async () => {
      for await (const record of collector.collect("application")) collected.push(record);
    })().catch((error: unknown) => error);
    expect(ids(collected)).toEqual(ids(betaApps));
    expect(failure).toBeInstanceOf(ResourceTypeFailed);
    expect(failure).toMatchObject({
      type: "application",
      reason: "permission",
      retryable: false,
      partial: true,
    });
    expect((failure as Error).message).toContain(STRANGER);
  });

  it("retries a 503 on an organisation's list and completes", async () => {
    fake.failNext(503, 1, `/v2/organisations/${ACME}/addons`);
    const collector = new CleverCloudInventory(auth(), environment, [ACME]);
    expect(ids(await collectAll(collector.collect("addon")))).toEqual(ids(acmeAddons));
  });

  it("a refused token is CredentialRejected after one request", async () => {
    const collector = new CleverCloudInventory(auth("revoked-token"), environment);
    await expect(collectAll(collector.collect("application"))).rejects.toBeInstanceOf(CredentialRejected);
    expect(fake.requests).toHaveLength(1);
  });

  it("an unknown type is a caller error", async () => {
    const collector = new CleverCloudInventory(auth(), environment);
    await expect(collectAll(collector.collect("vm"))).rejects.toBeInstanceOf(UnknownResourceType);
  });
});
