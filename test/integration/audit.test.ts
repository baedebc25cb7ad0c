import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api";
import { outscaleBody, SECRETS } from "../support/fixtures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

describe("audit trail", () => {
  it("records every change, newest first, by field name and never by secret value", async () => {
    const editor = await api.token("acme", "editor", "alice");
    const created = await api.request("POST", "/v1/credentials", {
      body: outscaleBody("audited"),
      token: editor,
    });
    const id = created.json.id;
    await api.request("PATCH", `/v1/credentials/${id}`, {
      token: editor,
      body: { name: "audited-2", settings: { secretKey: SECRETS.rotatedSecretKey } },
      headers: { "if-match": '"1"' },
    });
    await api.request("PUT", `/v1/credentials/${id}/clusters/k1`, { token: editor });
    await api.request("DELETE", `/v1/credentials/${id}/clusters/k1`, { token: editor });
    await api.request("DELETE", `/v1/credentials/${id}`, { token: editor });
    const other = await api.request("POST", "/v1/credentials", {
      body: outscaleBody("not-this-one"),
      token: editor,
    });
    expect(other.status).toBe(201);

    const reply = await api.request("GET", `/v1/audit?credentialId=${id}`);
    expect(reply.status).toBe(200);
    expect(reply.json.items.map((event: { action: string }) => event.action)).toEqual([
      "credential.deleted",
      "credential.cluster_dissociated",
      "credential.cluster_associated",
      "credential.updated",
      "credential.created",
    ]);
    const update = reply.json.items[3];
    expect(update).toMatchObject({
      actor: "alice",
      credentialId: id,
      credentialName: "audited-2",
      changedFields: ["name", "settings.secretKey"],
      secretsRotated: true,
      requestId: expect.any(String),
    });
    expect(reply.text).not.toContain(SECRETS.rotatedSecretKey);
    expect(reply.text).not.toContain(SECRETS.outscaleSecretKey);

    const all = await api.request("GET", "/v1/audit?limit=2");
    expect(all.json.items).toHaveLength(2);
    expect(all.json.items[0]).toMatchObject({ action: "credential.created", credentialName: "not-this-one" });
    expect(all.json.items[1]).toMatchObject({ action: "credential.deleted", credentialId: id });
    expect(all.json.nextCursor).toEqual(expect.any(String));
    const next = await api.request(
      "GET",
      `/v1/audit?limit=2&cursor=${encodeURIComponent(all.json.nextCursor)}`,
    );
    expect(next.json.items.map((event: { action: string }) => event.action)).toEqual([
      "credential.cluster_dissociated",
      "credential.cluster_associated",
    ]);
  });
});
