import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type OpenApiSpec, responseSchema, type Schema, schemaProblems } from "../../fakes/openapi-check";
import { type OutscaleFake, startOutscaleFake } from "../../fakes/outscale";
import { SERVED_ACTIONS } from "../../fakes/outscale-actions";
import { RESOURCE_KINDS, type ResourceKind } from "../../fakes/outscale-resources";
import { outscaleCall } from "./clients";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const specPath = path.resolve(repoRoot, "../shared/reference/outscale-api-1.40.1.yaml");
const specPresent = existsSync(specPath);
// CI always has ../shared beside the clone: there a missing spec is a failure, not a skip.
if (!specPresent && process.env.CI) throw new Error(`OUTSCALE's spec is missing at ${specPath}`);
if (!specPresent) console.warn(`OUTSCALE conformance skipped: ${specPath} is absent`);

const ACCOUNT = {
  accountId: "123456789012",
  accessKey: "AKFAKEOUTSCALE000001",
  secretKey: "FAKESECRETOUTSCALE0000000000000000000001",
  email: "ops@example.com",
};

let fake: OutscaleFake;
let spec: OpenApiSpec;

/** The request each action gets: its widest answer (prices, details, a small page to get a token). */
const REQUESTS: Record<string, Record<string, unknown>> = {
  ReadConsumptionAccount: {
    FromDate: "2025-03-01",
    ToDate: "2025-04-01",
    ShowPrice: true,
    ShowResourceDetails: true,
  },
};

describe.skipIf(!specPresent)("the OUTSCALE fake's answers conform to OUTSCALE's API spec 1.40.1", () => {
  beforeAll(async () => {
    spec = parse(readFileSync(specPath, "utf8")) as OpenApiSpec;
    fake = await startOutscaleFake({ accounts: [ACCOUNT] });
    for (const kind of Object.keys(RESOURCE_KINDS) as ResourceKind[]) fake.seed(ACCOUNT.accountId, kind, 5);
    fake.seed("999999999999", "Images", 2, { public: true });
    fake.seed("999999999999", "Snapshots", 2, { public: true });
    fake.setConsumption(ACCOUNT.accountId, [
      {
        date: "2025-03-02",
        Category: "storage",
        Service: "TinaOS-FCU",
        Operation: "CreateVolume",
        Type: "BSU:VolumeUsage:gp2",
        Title: "Volume - gp2 - par hour",
        SubregionName: "eu-west-2a",
        ResourceId: "vol-00000001",
        Value: 2400,
        UnitPrice: 0.00014,
      },
    ]);
  });
  afterAll(() => fake?.stop());

  it("the walker finds unknown properties, wrong types and bad values, however deep", () => {
    const vms = responseSchema(spec, "ReadVms");
    const vm = {
      VmId: "i-12345678",
      Tags: [{ Key: "k", Value: "v" }],
      Placement: { SubregionName: "eu-west-2a" },
    };
    expect(schemaProblems(spec, vms, { Vms: [vm], NextPageToken: "YWJj" })).toEqual([]);
    expect(schemaProblems(spec, vms, { Vms: [{ ...vm, Colour: "red" }] })).toEqual([
      "$.Vms[0].Colour: not a property the spec defines",
    ]);
    expect(schemaProblems(spec, vms, { Vms: [{ ...vm, Tags: [{ Key: 1 }] }] })).toEqual([
      "$.Vms[0].Tags[0].Key: integer where the spec says string",
    ]);
    expect(schemaProblems(spec, vms, { Vms: [{ ...vm, BootMode: "bios" }] })).toEqual([
      "$.Vms[0].BootMode: bios is not in the enum",
    ]);
    expect(schemaProblems(spec, vms, { Vms: [{ ...vm, CreationDate: "yesterday" }] })).toHaveLength(1);
    expect(schemaProblems(spec, vms, { Vms: {} })).toEqual(["$.Vms: object where the spec says array"]);
    const oneOf: Schema = {
      oneOf: [
        { type: "string", format: "date" },
        { type: "string", format: "date-time" },
      ],
    };
    expect(schemaProblems(spec, oneOf, "2025-01-01")).toEqual([]);
    expect(schemaProblems(spec, oneOf, "January")).toHaveLength(1);
  });

  it.each(SERVED_ACTIONS)("%s answers only what the spec defines, with the right types", async (action) => {
    const reply = await outscaleCall(fake.url, action, REQUESTS[action] ?? { ResultsPerPage: 3 }, ACCOUNT);
    expect(reply.status).toBe(200);
    const schema = responseSchema(spec, action);
    expect(schemaProblems(spec, schema, reply.json)).toEqual([]);
    // Every answer holds at least one item, so the item schemas were walked too.
    const listKey = Object.keys(reply.json).find((key) => Array.isArray(reply.json[key]));
    expect((reply.json[listKey!] as unknown[]).length).toBeGreaterThan(0);
    if (action in { ReadVms: 1, ReadImages: 1 }) expect(reply.json.NextPageToken).toEqual(expect.any(String));
  });

  it("error bodies match the spec's ErrorResponse", async () => {
    const reply = await outscaleCall(fake.url, "ReadAccounts", {}, { ...ACCOUNT, secretKey: "X".repeat(40) });
    expect(reply.status).toBe(401);
    expect(schemaProblems(spec, { $ref: "#/components/schemas/ErrorResponse" }, reply.json)).toEqual([]);
  });
});
