import { ScanCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api";
import {
  billingBody,
  cleverOauthBody,
  cleverTokenBody,
  leakedSecrets,
  outscaleBody,
  SECRETS,
} from "../support/fixtures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

async function tableItems() {
  const reply = await api.dynamodb.send(new ScanCommand({ TableName: api.tableName, ConsistentRead: true }));
  return (reply.Items ?? []).map((item) => unmarshall(item));
}

describe("secrets stay secret", () => {
  it("never shows a secret value in a response, a log line, an audit event or a table item", async () => {
    const ids: string[] = [];
    for (const body of [
      outscaleBody("s-outscale"),
      billingBody("s-billing"),
      cleverOauthBody("s-oauth"),
      cleverTokenBody("s-token"),
    ]) {
      const created = await api.request("POST", "/v1/credentials", { body });
      expect(created.status).toBe(201);
      ids.push(created.json.id);
    }
    await api.request("PATCH", `/v1/credentials/${ids[0]}`, {
      body: { settings: { secretKey: SECRETS.rotatedSecretKey } },
      headers: { "if-match": '"1"' },
    });
    // A failing request whose body carries a secret must not echo it back.
    const refused = await api.request("POST", "/v1/credentials", {
      body: { ...outscaleBody("s-bad"), settings: { ...outscaleBody("x").settings, region: "nowhere" } },
    });
    expect(refused.status).toBe(400);
    await api.request("PUT", `/v1/credentials/${ids[1]}/clusters/c1`);
    for (const id of ids) await api.request("GET", `/v1/credentials/${id}`);
    await api.request("GET", "/v1/credentials");
    await api.request("GET", "/v1/audit");
    await api.request("GET", `/v1/credentials/${ids[1]}/clusters`);

    const items = await tableItems();
    expect(items.length).toBeGreaterThan(8);
    expect(leakedSecrets(items.map((item) => JSON.stringify(item)))).toEqual([]);
    expect(leakedSecrets(api.responses)).toEqual([]);
    expect(api.logLines.length).toBeGreaterThan(10);
    expect(leakedSecrets(api.logLines)).toEqual([]);
  });

  it("the scan itself can fail: a planted secret is found", () => {
    expect(leakedSecrets([`{"x":"${SECRETS.apiToken}"}`])).toEqual([SECRETS.apiToken]);
  });

  it("refuses to open a ciphertext copied from another credential, with a clear error", async () => {
    const donor = await api.request("POST", "/v1/credentials", { body: outscaleBody("donor") });
    const victim = await api.request("POST", "/v1/credentials", { body: outscaleBody("victim") });
    const items = await tableItems();
    const donorItem = items.find((item) => item.id === donor.json.id && item.entity === "credential")!;
    await api.dynamodb.send(
      new UpdateItemCommand({
        TableName: api.tableName,
        Key: { pk: { S: "TENANT#acme" }, sk: { S: `CRED#${victim.json.id}` } },
        UpdateExpression: "SET encryptedSecrets = :copied",
        ExpressionAttributeValues: {
          ":copied": {
            M: Object.fromEntries(
              Object.entries(donorItem.encryptedSecrets as Record<string, string>).map(([name, value]) => [
                name,
                { S: value },
              ]),
            ),
          },
        },
      }),
    );
    // Editing a setting needs the stored secrets: that is where the copy is caught.
    const reply = await api.request("PATCH", `/v1/credentials/${victim.json.id}`, {
      body: { settings: { region: "us-west-1" } },
      headers: { "if-match": '"1"' },
    });
    expect(reply.status).toBe(500);
    expect(reply.json.code).toBe("secrets_undecryptable");
    expect(reply.json.detail).toContain(victim.json.id);
    expect(reply.json.detail).toMatch(/not sealed for this tenant and credential/);
    // The donor's own secrets still open.
    const donorEdit = await api.request("PATCH", `/v1/credentials/${donor.json.id}`, {
      body: { settings: { region: "us-west-1" } },
      headers: { "if-match": '"1"' },
    });
    expect(donorEdit.status).toBe(200);
  });
});
