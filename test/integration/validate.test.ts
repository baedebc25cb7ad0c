import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeS3Client } from "../../local/emulators";
import { type CleverCloudFake, startCleverCloudFake } from "../fakes/clevercloud";
import { type OutscaleFake, startOutscaleFake } from "../fakes/outscale";
import { startTestProxy } from "../fakes/proxy";
import { startTestApi, type TestApi } from "../support/api";
import { billingBody, leakedSecrets, outscaleBody, SECRETS } from "../support/fixtures";

const USER = { id: "user_11111111-2222-3333-4444-555555555555", email: "dev@example.com", name: "Dev" };

let api: TestApi;
let outscale: OutscaleFake;
let clever: CleverCloudFake;

beforeAll(async () => {
  outscale = await startOutscaleFake({
    region: "eu-west-2",
    accounts: [
      {
        accountId: "123456789012",
        accessKey: "AKFAKEOUTSCALE000001",
        secretKey: SECRETS.outscaleSecretKey,
        email: "ops@example.com",
      },
    ],
  });
  clever = await startCleverCloudFake();
  clever
    .addUser(USER)
    .addConsumer("fake-consumer-key-0003", SECRETS.consumerSecret)
    .addAccessToken("fake-oauth-token-0004", SECRETS.tokenSecret, USER.id, "fake-consumer-key-0003");
  const s3Endpoint = inject("s3Endpoint");
  const s3 = makeS3Client(s3Endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: "billing-exports" }));
  await s3.send(new PutObjectCommand({ Bucket: "billing-exports", Key: "daily/2026-11-01.csv", Body: "x" }));
  api = await startTestApi({
    OUTSCALE_API_URL_TEMPLATE: outscale.urlTemplate,
    OUTSCALE_OOS_URL_TEMPLATE: s3Endpoint,
    CLEVERCLOUD_API_URL: clever.url,
  });
});
afterAll(async () => {
  await api.stop();
  await outscale.stop();
  await clever.stop();
});

const withoutProxy = (name: string, overrides: Record<string, unknown> = {}) => {
  const body = outscaleBody(name);
  const { proxy: _proxy, ...settings } = body.settings;
  return { ...body, settings: { ...settings, ...overrides } };
};

describe("POST /v1/credentials/{id}/validate", () => {
  it("answers valid with the identity found, stores it, and audits the check", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: withoutProxy("check-ok") });
    const reply = await api.request("POST", `/v1/credentials/${created.json.id}/validate`);
    expect(reply.status).toBe(200);
    expect(reply.json.validation).toEqual({
      status: "valid",
      identity: { accountId: "123456789012", email: "ops@example.com" },
      checkedAt: expect.any(String),
    });
    const stored = await api.request("GET", `/v1/credentials/${created.json.id}`);
    expect(stored.json.validation.status).toBe("valid");
    expect(stored.json.lastUsedAt).toBe(reply.json.validation.checkedAt);
    const audit = await api.request("GET", `/v1/audit?credentialId=${created.json.id}`);
    expect(audit.json.items[0]).toMatchObject({ action: "credential.validated", validationStatus: "valid" });
  });

  it("answers invalid with the provider's reason for a wrong secret, after one attempt", async () => {
    const created = await api.request("POST", "/v1/credentials", {
      body: withoutProxy("check-wrong", { secretKey: "WRONGSECRET0000000000000000000000000000X" }),
    });
    outscale.requests.length = 0;
    const reply = await api.request("POST", `/v1/credentials/${created.json.id}/validate`);
    expect(reply.json.validation).toMatchObject({
      status: "invalid",
      error: expect.stringContaining("authentication failed"),
    });
    expect(outscale.requests).toHaveLength(1);
  });

  it("answers unreachable for a closed port", async () => {
    const closed = await startTestApi({ OUTSCALE_API_URL_TEMPLATE: "http://127.0.0.1:9/{region}/api/v1" });
    const created = await closed.request("POST", "/v1/credentials", { body: withoutProxy("check-closed") });
    const reply = await closed.request("POST", `/v1/credentials/${created.json.id}/validate`);
    expect(reply.json.validation).toMatchObject({
      status: "unreachable",
      error: expect.stringContaining("connection refused"),
    });
    await closed.stop();
  });

  it("sends every call of an OUTSCALE credential with a proxy through that proxy, with its credentials", async () => {
    const proxy = await startTestProxy({ username: "proxyuser", password: SECRETS.proxyPassword });
    const created = await api.request("POST", "/v1/credentials", {
      body: withoutProxy("check-proxied", { proxy: proxy.url }),
    });
    outscale.requests.length = 0;
    const reply = await api.request("POST", `/v1/credentials/${created.json.id}/validate`);
    expect(reply.json.validation.status).toBe("valid");
    expect(outscale.requests.length).toBeGreaterThan(0);
    for (const request of outscale.requests) expect(proxy.upstreamPorts).toContain(request.remotePort);
    expect(reply.json.settings.proxy).toBe(`http://proxyuser@127.0.0.1:${proxy.port}`);
    await proxy.stop();
  });

  it("checks on create with ?validate=true", async () => {
    const reply = await api.request("POST", "/v1/credentials?validate=true", {
      body: withoutProxy("check-on-create"),
    });
    expect(reply.status).toBe(201);
    expect(reply.json.validation.status).toBe("valid");
    expect(
      (await api.request("POST", "/v1/credentials?validate=maybe", { body: withoutProxy("x") })).status,
    ).toBe(400);
  });

  it("validates Clever Cloud OAuth keys against the fake", async () => {
    const created = await api.request("POST", "/v1/credentials?validate=true", {
      body: {
        provider: "clevercloud",
        name: "clever-check",
        settings: {
          authType: "oauth1",
          consumerKey: "fake-consumer-key-0003",
          consumerSecret: SECRETS.consumerSecret,
          token: "fake-oauth-token-0004",
          tokenSecret: SECRETS.tokenSecret,
          host: clever.url,
        },
      },
    });
    expect(created.json.validation).toMatchObject({
      status: "valid",
      identity: { userId: USER.id, email: USER.email },
    });
  });

  it("reports per bucket whether billing buckets can be read", async () => {
    const created = await api.request("POST", "/v1/credentials?validate=true", {
      body: billingBody("billing-check"),
    });
    expect(created.json.validation).toMatchObject({
      status: "valid",
      identity: { buckets: [{ name: "billing-exports", readable: true }] },
    });
    const missing = billingBody("billing-missing");
    missing.settings.buckets.push({ name: "no-such-bucket-here", region: "eu-west-2", prefix: "" });
    const reply = await api.request("POST", "/v1/credentials?validate=true", { body: missing });
    expect(reply.json.validation).toMatchObject({
      status: "invalid",
      error: expect.stringContaining("no-such-bucket-here (no such bucket)"),
    });
  });

  it("answers invalid when OOS refuses the billing key, and stops at the first refusal", async () => {
    // s3rver checks key ids but not signatures (architecture.md), so an unknown key id stands in.
    const body = billingBody("billing-unknown-key");
    body.settings.billingAccessKey = "AKUNKNOWNBILLING0009";
    body.settings.buckets.push({ name: "second-bucket", region: "eu-west-2", prefix: "" });
    const reply = await api.request("POST", "/v1/credentials?validate=true", { body });
    expect(reply.json.validation).toMatchObject({
      status: "invalid",
      error: expect.stringContaining("InvalidAccessKeyId"),
      identity: { buckets: [] },
    });
  });

  it("leaks no secret in the checks' responses or logs", () => {
    expect(leakedSecrets([...api.responses, ...api.logLines])).toEqual([]);
  });
});

describe("SSRF guard in deployed mode", () => {
  it("refuses private, loopback and metadata hosts, naming the field", async () => {
    const deployed = await startTestApi({ ALLOW_PRIVATE_PROVIDER_HOSTS: "false" });
    const cases: Array<[Record<string, unknown>, string]> = [
      [withoutProxy("ssrf-1", { proxy: "http://169.254.169.254" }), "settings.proxy"],
      [withoutProxy("ssrf-2", { proxy: "https://10.0.0.1:3128" }), "settings.proxy"],
      [withoutProxy("ssrf-3", { proxy: "https://localhost:3128" }), "settings.proxy"],
      [
        {
          provider: "clevercloud",
          name: "ssrf-4",
          settings: { authType: "apiToken", apiToken: SECRETS.apiToken, host: "https://169.254.169.254" },
        },
        "settings.host",
      ],
    ];
    for (const [body, path] of cases) {
      const reply = await deployed.request("POST", "/v1/credentials", { body });
      expect(reply.status).toBe(400);
      expect(reply.json.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    await deployed.stop();
  });
});
