import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api";
import { outscaleBody } from "../support/fixtures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

async function createCredential(name: string): Promise<string> {
  const reply = await api.request("POST", "/v1/credentials", { body: outscaleBody(name) });
  expect(reply.status).toBe(201);
  return reply.json.id;
}

async function associationItems(credentialId: string) {
  const reply = await api.dynamodb.send(
    new QueryCommand({
      TableName: api.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: {
        ":pk": { S: "TENANT#acme" },
        ":prefix": { S: `CRED#${credentialId}#CLUSTER#` },
      },
      ConsistentRead: true,
    }),
  );
  return reply.Items ?? [];
}

describe("cluster associations", () => {
  it("associates idempotently and counts each cluster once", async () => {
    const id = await createCredential("assoc-basic");
    const first = await api.request("PUT", `/v1/credentials/${id}/clusters/kube-prod-1`, {
      body: { name: "Prod" },
    });
    expect(first.status).toBe(201);
    const again = await api.request("PUT", `/v1/credentials/${id}/clusters/kube-prod-1`, {
      body: { name: "Prod" },
    });
    expect(again.status).toBe(200);
    expect(again.json.associatedAt).toBe(first.json.associatedAt);
    expect((await api.request("PUT", `/v1/credentials/${id}/clusters/kube-dev-2`)).status).toBe(201);
    const list = await api.request("GET", `/v1/credentials/${id}/clusters`);
    expect(list.json.items.map((item: { clusterId: string }) => item.clusterId)).toEqual([
      "kube-dev-2",
      "kube-prod-1",
    ]);
    expect(list.json.items[1]).toMatchObject({ name: "Prod", associatedAt: expect.any(String) });
    expect((await api.request("GET", `/v1/credentials/${id}`)).json.clusters).toEqual({ count: 2 });
  });

  it("refuses to delete a credential that clusters still use, listing them", async () => {
    const id = await createCredential("assoc-in-use");
    await api.request("PUT", `/v1/credentials/${id}/clusters/cluster-a`);
    const refused = await api.request("DELETE", `/v1/credentials/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ code: "credential_in_use", clusters: ["cluster-a"] });
    expect((await api.request("DELETE", `/v1/credentials/${id}/clusters/cluster-a`)).status).toBe(204);
    expect((await api.request("DELETE", `/v1/credentials/${id}/clusters/cluster-a`)).status).toBe(404);
    expect((await api.request("GET", `/v1/credentials/${id}`)).json.clusters).toEqual({ count: 0 });
    expect((await api.request("DELETE", `/v1/credentials/${id}`)).status).toBe(204);
  });

  it("answers 404 when associating with an unknown credential, 400 for a bad cluster id", async () => {
    expect((await api.request("PUT", "/v1/credentials/01JZZZZZZZZZZZZZZZZZZZZZZZ/clusters/c1")).status).toBe(
      404,
    );
    const id = await createCredential("assoc-bad-id");
    const reply = await api.request("PUT", `/v1/credentials/${id}/clusters/${encodeURIComponent("bad id!")}`);
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].path).toBe("clusterId");
  });

  it("never leaves an association on a deleted credential when the two race", async () => {
    for (let round = 0; round < 15; round++) {
      const id = await createCredential(`race-${round}`);
      const [associate, remove] = await Promise.all([
        api.request("PUT", `/v1/credentials/${id}/clusters/racer`),
        api.request("DELETE", `/v1/credentials/${id}`),
      ]);
      const items = await associationItems(id);
      if (remove.status === 204) {
        expect(associate.status).toBe(404);
        expect(items).toHaveLength(0);
      } else {
        expect(remove.status).toBe(409);
        expect(associate.status).toBe(201);
        expect(items).toHaveLength(1);
      }
    }
  });
});
