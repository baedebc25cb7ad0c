import { gunzipSync } from "node:zlib";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeS3Client } from "../../local/emulators";
import type { InProcessQueue } from "../../shared/adapters/queue/in-process";
import { type OutscaleFake, startOutscaleFake } from "../fakes/outscale";
import { startTestApi, type TestApi } from "../support/api";
import { leakedSecrets } from "../support/fixtures";

const REPORTS = "inventory-reports-test";
const ACCOUNT = {
  accountId: "123456789012",
  accessKey: "AKFAKEINVENTORY00001",
  secretKey: "FAKESECRETINVENTORY000000000000000000001",
  email: "inventory@example.com",
};

let api: TestApi;
let outscale: OutscaleFake;
let credentialId: string;

async function sweep(id = credentialId) {
  const started = await api.request("POST", `/v1/credentials/${id}/inventory-runs`);
  expect(started.status).toBe(202);
  const queue = api.services.sweepQueue as InProcessQueue<unknown>;
  await queue.idle();
  expect(queue.deadLetters).toEqual([]);
  return (await api.request("GET", `/v1/inventory-runs/${started.json.runId}`)).json;
}

async function download(url: string): Promise<Buffer> {
  const reply = await fetch(url);
  expect(reply.status).toBe(200);
  return Buffer.from(await reply.arrayBuffer());
}

beforeAll(async () => {
  outscale = await startOutscaleFake({
    region: "eu-west-2",
    accounts: [ACCOUNT, { ...ACCOUNT, accountId: "999999999999", accessKey: "AKFAKEOTHERACCOUNT01" }],
  });
  outscale.seed(ACCOUNT.accountId, "Vms", 1500);
  outscale.seed(ACCOUNT.accountId, "Volumes", 1200);
  outscale.seed(ACCOUNT.accountId, "SecurityGroups", 40);
  outscale.seed(ACCOUNT.accountId, "LoadBalancers", 3);
  // Another account's public images must not land in this account's inventory.
  outscale.seed("999999999999", "Images", 5, { public: true });
  await makeS3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: REPORTS }));
  api = await startTestApi({
    OUTSCALE_API_URL_TEMPLATE: outscale.urlTemplate,
    S3_ENDPOINT: inject("s3Endpoint"),
    REPORTS_BUCKET: REPORTS,
  });
  credentialId = (
    await api.request("POST", "/v1/credentials", {
      body: {
        provider: "outscale",
        name: "inventory-account",
        settings: {
          accessKey: ACCOUNT.accessKey,
          secretKey: ACCOUNT.secretKey,
          accountId: ACCOUNT.accountId,
          region: "eu-west-2",
        },
      },
    })
  ).json.id;
});
afterAll(async () => {
  await api.stop();
  await outscale.stop();
});

describe("inventory sweeps", () => {
  it("lands exactly the account's resources, across pages, with a summary, a CSV and an HTML page", async () => {
    const run = await sweep();
    expect(run).toMatchObject({ status: "succeeded", total: 2743, errors: [] });
    expect(run.countsByType).toEqual({ vm: 1500, volume: 1200, "security-group": 40, "load-balancer": 3 });
    const lines = gunzipSync(await download(run.downloads["resources.jsonl.gz"]))
      .toString("utf8")
      .trim()
      .split("\n");
    const ids = lines.map((line) => JSON.parse(line).id as string);
    expect(ids).toHaveLength(2743);
    expect(new Set(ids).size).toBe(2743);
    const summary = JSON.parse((await download(run.downloads["summary.json"])).toString("utf8"));
    expect(summary.byType).toEqual(run.countsByType);
    const csv = (await download(run.downloads["resources.csv"])).toString("utf8").trim().split("\n");
    expect(csv[0]).toBe("provider,accountId,region,zone,type,id,name,state,createdAt,tags");
    expect(csv).toHaveLength(2744);
    const html = (await download(run.downloads["summary.html"])).toString("utf8");
    expect(html).toContain("<!doctype html>");
    expect(html).toContain("First run");
  });

  it("diffs exactly against the previous run: added, removed and changed", async () => {
    const vms = outscale.seed(ACCOUNT.accountId, "Vms", 2);
    const someVolume = (await outscale.seed(ACCOUNT.accountId, "Volumes", 1))[0]!;
    outscale.removeResource(ACCOUNT.accountId, "Volumes", String(someVolume.VolumeId));
    const firstRun = (await api.request("GET", "/v1/inventory-runs")).json.items[0];
    const previousIds = gunzipSync(
      await download(
        (await api.request("GET", `/v1/inventory-runs/${firstRun.id}`)).json.downloads["resources.jsonl.gz"],
      ),
    )
      .toString("utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const removedVm = previousIds.find((resource: { type: string }) => resource.type === "vm");
    outscale.removeResource(ACCOUNT.accountId, "Vms", removedVm.id);
    const changedVolume = previousIds.find((resource: { type: string }) => resource.type === "volume");
    outscale.updateResource(ACCOUNT.accountId, "Volumes", changedVolume.id, { State: "deleting" });
    const run = await sweep();
    expect(run.diff).toEqual({ added: 2, removed: 1, changed: 1, previousRunId: firstRun.id });
    const diff = JSON.parse((await download(run.downloads["diff.json"])).toString("utf8"));
    expect(diff.added.map((resource: { id: string }) => resource.id).sort()).toEqual(
      vms.map((vm) => String(vm.VmId)).sort(),
    );
    expect(diff.removed).toEqual([{ id: removedVm.id, type: "vm", name: removedVm.name }]);
    expect(diff.changed).toEqual([{ id: changedVolume.id, type: "volume", fields: ["state"] }]);
  });

  it("is partial when a type keeps failing, with the error recorded and the other types landed", async () => {
    outscale.failAction("ReadSecurityGroups", 401, "4");
    const run = await sweep();
    expect(run.status).toBe("partial");
    expect(run.errors).toEqual([expect.objectContaining({ type: "security-group", reason: "permission" })]);
    expect(run.countsByType.vm).toBe(1501);
    expect(run.countsByType["security-group"]).toBeUndefined();
    // A type that could not be read is not reported as removed.
    expect(run.diff.removed).toBe(0);
  });

  it("stops at once on a refused key, without retrying, and marks the credential invalid", async () => {
    const wrong = (
      await api.request("POST", "/v1/credentials", {
        body: {
          provider: "outscale",
          name: "inventory-wrong-key",
          settings: {
            accessKey: ACCOUNT.accessKey,
            secretKey: "W".repeat(40),
            accountId: ACCOUNT.accountId,
            region: "eu-west-2",
          },
        },
      })
    ).json.id;
    outscale.requests.length = 0;
    const run = await sweep(wrong);
    expect(run.status).toBe("failed");
    expect(run.errors[0]).toMatchObject({ reason: "credential-rejected" });
    expect(outscale.requests).toHaveLength(1);
    const credential = await api.request("GET", `/v1/credentials/${wrong}`);
    expect(credential.json.validation.status).toBe("invalid");
  });

  it("refuses credentials without inventory mode and leaks no secret", async () => {
    const billing = await api.request("POST", "/v1/credentials", {
      body: {
        provider: "outscale-billing",
        name: "billing-only",
        settings: {
          billingAccessKey: "AKFAKEBILLING0000002",
          billingSecretKey: "B".repeat(40),
          buckets: [{ name: "b-1x", region: "eu-west-2" }],
        },
      },
    });
    expect((await api.request("POST", `/v1/credentials/${billing.json.id}/inventory-runs`)).status).toBe(400);
    expect(leakedSecrets([...api.responses, ...api.logLines])).toEqual([]);
    expect([...api.responses, ...api.logLines].some((line) => line.includes(ACCOUNT.secretKey))).toBe(false);
  });
});
