import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "../../local/tokens";
import { startTestApi, type TestApi } from "../support/api";
import { outscaleBody } from "../support/fixtures";

let api: TestApi;
let credentialId: string;
beforeAll(async () => {
  api = await startTestApi();
  const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("tenant-a-key") });
  credentialId = created.json.id;
});
afterAll(() => api.stop());

describe("authentication", () => {
  it("answers 401 without a token, with a token signed by another key, and with an expired one", async () => {
    expect((await api.request("GET", "/v1/credentials", { token: null })).status).toBe(401);
    const forged = await new SignJWT({ tenant: "acme", roles: ["admin"] })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-local-key-not-the-local-key"));
    expect((await api.request("GET", "/v1/credentials", { token: forged })).status).toBe(401);
    const expired = await api.tokens.issue({ tenant: "acme", roles: ["admin"], ttlSeconds: -60 });
    const reply = await api.request("GET", "/v1/credentials", { token: expired });
    expect(reply.status).toBe(401);
    expect(reply.json.code).toBe("unauthorized");
  });

  it("answers 403 for a token without any known role", async () => {
    const token = await api.tokens.issue({ tenant: "acme", roles: ["guest"] });
    expect((await api.request("GET", "/v1/credentials", { token })).status).toBe(403);
  });
});

describe("roles", () => {
  it("lets a viewer read but not write", async () => {
    const token = await api.token("acme", "viewer");
    expect((await api.request("GET", `/v1/credentials/${credentialId}`, { token })).status).toBe(200);
    const refused = await api.request("POST", "/v1/credentials", { token, body: outscaleBody("viewer-try") });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe("forbidden");
    expect((await api.request("DELETE", `/v1/credentials/${credentialId}`, { token })).status).toBe(403);
    expect((await api.request("PUT", `/v1/credentials/${credentialId}/clusters/c1`, { token })).status).toBe(
      403,
    );
  });

  it("keeps the audit log for admins", async () => {
    expect((await api.request("GET", "/v1/audit", { token: await api.token("acme", "editor") })).status).toBe(
      403,
    );
    expect((await api.request("GET", "/v1/audit", { token: await api.token("acme", "admin") })).status).toBe(
      200,
    );
  });

  it("reads roles flattened by the gateway, as a multi-role token arrives", async () => {
    const token = await api.tokens.issue({ tenant: "acme", roles: ["viewer", "editor"] });
    const reply = await api.request("POST", "/v1/credentials", { token, body: outscaleBody("multi-role") });
    expect(reply.status).toBe(201);
    expect(reply.json.createdBy).toBe("local-user@acme");
  });
});

describe("tenant isolation", () => {
  it("answers 404 for another tenant's credential on every route", async () => {
    const token = await api.token("other-tenant", "admin");
    const base = `/v1/credentials/${credentialId}`;
    expect((await api.request("GET", base, { token })).status).toBe(404);
    expect(
      (await api.request("PATCH", base, { token, body: { name: "x" }, headers: { "if-match": '"1"' } }))
        .status,
    ).toBe(404);
    expect((await api.request("DELETE", base, { token })).status).toBe(404);
    expect((await api.request("GET", `${base}/clusters`, { token })).status).toBe(404);
    expect((await api.request("PUT", `${base}/clusters/c1`, { token })).status).toBe(404);
    expect((await api.request("GET", "/v1/credentials", { token })).json.items).toEqual([]);
    const audit = await api.request("GET", `/v1/audit?credentialId=${credentialId}`, { token });
    expect(audit.json.items).toEqual([]);
    expect((await api.request("GET", base)).status).toBe(200);
  });

  it("refuses a cursor made from another tenant's keys", async () => {
    const foreign = Buffer.from(
      JSON.stringify({
        pk: "TENANT#acme",
        sk: `CRED#${credentialId}`,
        gsi1pk: "TENANT#acme#CREDS",
        gsi1sk: "x",
      }),
    ).toString("base64url");
    const token = await api.token("other-tenant", "viewer");
    const reply = await api.request("GET", `/v1/credentials?cursor=${foreign}`, { token });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].path).toBe("cursor");
  });
});
