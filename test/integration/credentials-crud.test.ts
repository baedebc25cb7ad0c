import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api";
import { billingBody, cleverOauthBody, cleverTokenBody, outscaleBody, SECRETS } from "../support/fixtures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

describe("health and providers", () => {
  it("answers health without a token", async () => {
    const reply = await api.request("GET", "/v1/health", { token: null });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: "ok", version: expect.any(String) });
  });

  it("lists the three providers with JSON Schemas that mark secret fields", async () => {
    const reply = await api.request("GET", "/v1/providers");
    expect(reply.status).toBe(200);
    const byId = Object.fromEntries(
      reply.json.items.map((provider: { id: string }) => [provider.id, provider]),
    );
    expect(Object.keys(byId).sort()).toEqual(["clevercloud", "outscale", "outscale-billing"]);
    expect(byId.outscale.settingsSchema.properties.secretKey).toMatchObject({
      writeOnly: true,
      "x-secret": true,
    });
    expect(byId.outscale.settingsSchema.properties.region.enum).toContain("cloudgouv-eu-west-1");
    expect(byId["outscale-billing"].modes).toEqual({ allowed: ["finops"], default: ["finops"] });
  });

  it("serves an OpenAPI 3.1 document covering every credentials route", async () => {
    const reply = await api.request("GET", "/v1/openapi.json", { token: null });
    expect(reply.status).toBe(200);
    expect(reply.json.openapi).toBe("3.1.0");
    expect(Object.keys(reply.json.paths)).toEqual(
      expect.arrayContaining([
        "/v1/credentials",
        "/v1/credentials/{id}",
        "/v1/credentials/{id}/clusters",
        "/v1/credentials/{id}/clusters/{clusterId}",
        "/v1/audit",
        "/v1/providers",
      ]),
    );
    const create = reply.json.paths["/v1/credentials"].post;
    expect(
      create.requestBody.content["application/json"].schema.oneOf ??
        create.requestBody.content["application/json"].schema.anyOf,
    ).toHaveLength(3);
  });
});

describe("creating credentials", () => {
  it("stores an OUTSCALE key and answers it masked, with Location and ETag", async () => {
    const reply = await api.request("POST", "/v1/credentials", { body: outscaleBody("outscale-prod") });
    expect(reply.status).toBe(201);
    expect(reply.headers.get("location")).toBe(`/v1/credentials/${reply.json.id}`);
    expect(reply.headers.get("etag")).toBe('"1"');
    expect(reply.json).toMatchObject({
      name: "outscale-prod",
      provider: "outscale",
      modes: ["inventory"],
      version: 1,
      clusters: { count: 0 },
      validation: { status: "unknown" },
      secretFields: ["secretKey", "proxy.password"],
      settings: {
        accessKey: "****0001",
        accountId: "123456789012",
        region: "eu-west-2",
        proxy: "https://proxyuser@proxy.example.com:3128",
      },
    });
    expect(reply.json.settings).not.toHaveProperty("secretKey");
    expect(reply.text).not.toContain(SECRETS.outscaleSecretKey);
    expect(reply.text).not.toContain(SECRETS.proxyPassword);
  });

  it("stores billing keys with their buckets, in finops mode by default", async () => {
    const reply = await api.request("POST", "/v1/credentials", { body: billingBody("billing-main") });
    expect(reply.status).toBe(201);
    expect(reply.json.modes).toEqual(["finops"]);
    expect(reply.json.settings).toEqual({
      billingAccessKey: "****0002",
      buckets: [{ name: "billing-exports", region: "eu-west-2", prefix: "daily/" }],
    });
    expect(reply.json.secretFields).toEqual(["billingSecretKey"]);
  });

  it("stores Clever Cloud OAuth 1 keys with the documented defaults", async () => {
    const reply = await api.request("POST", "/v1/credentials", { body: cleverOauthBody("clever-oauth") });
    expect(reply.status).toBe(201);
    expect(reply.json.settings).toEqual({
      authType: "oauth1",
      consumerKey: "****0003",
      token: "****0004",
      signatureMethod: "HMAC-SHA512",
      apiVersion: "v2",
      host: "https://api.clever-cloud.com",
    });
    expect(reply.json.secretFields).toEqual(["consumerSecret", "tokenSecret"]);
  });

  it("stores a Clever Cloud API token against the API bridge", async () => {
    const reply = await api.request("POST", "/v1/credentials", { body: cleverTokenBody("clever-token") });
    expect(reply.status).toBe(201);
    expect(reply.json.settings).toEqual({
      authType: "apiToken",
      host: "https://api-bridge.clever-cloud.com",
      expiresAt: "2027-01-01T00:00:00Z",
    });
    expect(reply.json.secretFields).toEqual(["apiToken"]);
  });

  it("refuses a second credential whose name differs only in case", async () => {
    expect((await api.request("POST", "/v1/credentials", { body: outscaleBody("Staging") })).status).toBe(
      201,
    );
    const reply = await api.request("POST", "/v1/credentials", { body: outscaleBody("staging") });
    expect(reply.status).toBe(409);
    expect(reply.headers.get("content-type")).toBe("application/problem+json");
    expect(reply.json).toMatchObject({
      code: "credential_name_taken",
      status: 409,
      requestId: expect.any(String),
    });
  });

  it("replays a create with the same Idempotency-Key and body instead of a conflict", async () => {
    const body = outscaleBody("idempotent-one");
    const headers = { "idempotency-key": "key-123" };
    const first = await api.request("POST", "/v1/credentials", { body, headers });
    const second = await api.request("POST", "/v1/credentials", { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json.id).toBe(first.json.id);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("refuses an Idempotency-Key reused with another body", async () => {
    const headers = { "idempotency-key": "key-456" };
    expect(
      (await api.request("POST", "/v1/credentials", { body: outscaleBody("idem-a"), headers })).status,
    ).toBe(201);
    const reply = await api.request("POST", "/v1/credentials", { body: outscaleBody("idem-b"), headers });
    expect(reply.status).toBe(422);
    expect(reply.json.code).toBe("idempotency_key_reused");
  });
});

describe("reading credentials", () => {
  it("gets one credential with its ETag", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("read-me") });
    const reply = await api.request("GET", `/v1/credentials/${created.json.id}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("etag")).toBe('"1"');
    expect(reply.json).toEqual(created.json);
  });

  it("answers 404 for an unknown or malformed id", async () => {
    expect((await api.request("GET", "/v1/credentials/01JUNKNOWN0000000000000000")).json.code).toBe(
      "not_found",
    );
    expect((await api.request("GET", "/v1/credentials/not-an-id")).status).toBe(404);
  });

  it("pages through the list by name with an opaque cursor, and filters it", async () => {
    const tenant = `pager-${Date.now()}`;
    const token = await api.token(tenant, "editor");
    for (const name of ["e-five", "a-one", "c-three", "b-two", "d-four"]) {
      const body = name === "c-three" ? billingBody(name) : outscaleBody(name);
      expect((await api.request("POST", "/v1/credentials", { body, token })).status).toBe(201);
    }
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = await api.request("GET", `/v1/credentials${query}`, { token });
      expect(page.status).toBe(200);
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      names.push(...page.json.items.map((item: { name: string }) => item.name));
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(names).toEqual(["a-one", "b-two", "c-three", "d-four", "e-five"]);

    const billing = await api.request("GET", "/v1/credentials?provider=outscale-billing", { token });
    expect(billing.json.items.map((item: { name: string }) => item.name)).toEqual(["c-three"]);
    const finops = await api.request("GET", "/v1/credentials?mode=finops", { token });
    expect(finops.json.items.map((item: { name: string }) => item.name)).toEqual(["c-three"]);
    const named = await api.request("GET", "/v1/credentials?q=TW", { token });
    expect(named.json.items.map((item: { name: string }) => item.name)).toEqual(["b-two"]);
    const filteredPage = await api.request("GET", "/v1/credentials?provider=outscale&limit=3", { token });
    expect(filteredPage.json.items).toHaveLength(3);
    const rest = await api.request(
      "GET",
      `/v1/credentials?provider=outscale&limit=3&cursor=${encodeURIComponent(filteredPage.json.nextCursor)}`,
      { token },
    );
    expect(rest.json.items.map((item: { name: string }) => item.name)).toEqual(["e-five"]);
  });
});

describe("editing credentials", () => {
  it("requires If-Match (428) and refuses a stale one (412)", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("edit-guard") });
    const path = `/v1/credentials/${created.json.id}`;
    const missing = await api.request("PATCH", path, { body: { name: "edit-guard-2" } });
    expect(missing.status).toBe(428);
    expect(missing.json.code).toBe("precondition_required");
    const renamed = await api.request("PATCH", path, {
      body: { name: "edit-guard-2" },
      headers: { "if-match": '"1"' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: "edit-guard-2", version: 2 });
    expect(renamed.headers.get("etag")).toBe('"2"');
    const stale = await api.request("PATCH", path, {
      body: { name: "edit-guard-3" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json).toMatchObject({ code: "version_mismatch", currentVersion: 2 });
  });

  it("frees the old name on rename and refuses a rename onto a taken name", async () => {
    const first = await api.request("POST", "/v1/credentials", { body: outscaleBody("rename-a") });
    await api.request("POST", "/v1/credentials", { body: outscaleBody("rename-b") });
    const clash = await api.request("PATCH", `/v1/credentials/${first.json.id}`, {
      body: { name: "RENAME-B" },
      headers: { "if-match": '"1"' },
    });
    expect(clash.status).toBe(409);
    expect(clash.json.code).toBe("credential_name_taken");
    const moved = await api.request("PATCH", `/v1/credentials/${first.json.id}`, {
      body: { name: "rename-c" },
      headers: { "if-match": '"1"' },
    });
    expect(moved.status).toBe(200);
    expect((await api.request("POST", "/v1/credentials", { body: outscaleBody("rename-a") })).status).toBe(
      201,
    );
  });

  it("edits public settings and keeps the secret that was not sent", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("keep-secret") });
    const reply = await api.request("PATCH", `/v1/credentials/${created.json.id}`, {
      body: {
        settings: { region: "us-east-2", proxy: null },
        description: "moved",
        tags: { team: "platform" },
      },
      headers: { "if-match": '"1"' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.settings).toEqual({
      accessKey: "****0001",
      accountId: "123456789012",
      region: "us-east-2",
    });
    expect(reply.json.secretFields).toEqual(["secretKey"]);
    expect(reply.json).toMatchObject({ description: "moved", tags: { team: "platform" } });
  });

  it("rotates a secret: a new secretsRotatedAt and validation back to unknown", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("rotate-me") });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reply = await api.request("PATCH", `/v1/credentials/${created.json.id}`, {
      body: { settings: { secretKey: SECRETS.rotatedSecretKey } },
      headers: { "if-match": '"1"' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.secretsRotatedAt > created.json.secretsRotatedAt).toBe(true);
    expect(reply.json.validation).toEqual({ status: "unknown" });
    expect(reply.json.settings).toEqual(created.json.settings);
    expect(reply.text).not.toContain(SECRETS.rotatedSecretKey);
  });

  it("validates the merged settings and names the bad field", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("bad-edit") });
    const reply = await api.request("PATCH", `/v1/credentials/${created.json.id}`, {
      body: { settings: { region: "mars-1", secretKey: "short" } },
      headers: { "if-match": '"1"' },
    });
    expect(reply.status).toBe(400);
    const paths = reply.json.errors.map((error: { path: string }) => error.path).sort();
    expect(paths).toEqual(["settings.region", "settings.secretKey"]);
    expect((await api.request("GET", `/v1/credentials/${created.json.id}`)).json.version).toBe(1);
  });
});

describe("deleting credentials", () => {
  it("deletes, answers 404 afterwards, and frees the name", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("delete-me") });
    const path = `/v1/credentials/${created.json.id}`;
    expect((await api.request("DELETE", path, { headers: { "if-match": '"1"' } })).status).toBe(204);
    expect((await api.request("GET", path)).status).toBe(404);
    expect((await api.request("DELETE", path)).status).toBe(404);
    expect((await api.request("POST", "/v1/credentials", { body: outscaleBody("delete-me") })).status).toBe(
      201,
    );
  });

  it("honours a stale If-Match on delete with 412", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("delete-stale") });
    const reply = await api.request("DELETE", `/v1/credentials/${created.json.id}`, {
      headers: { "if-match": '"7"' },
    });
    expect(reply.status).toBe(412);
    expect((await api.request("GET", `/v1/credentials/${created.json.id}`)).status).toBe(200);
  });
});
