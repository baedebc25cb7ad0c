import { createHash, createHmac } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderEnvironment } from "../../../shared/providers/environment";
import { checkOutscaleIdentity } from "../../../shared/providers/outscale/identity";
import { type OutscaleFake, startOutscaleFake } from "../../fakes/outscale";
import { startTestProxy, type TestProxy } from "../../fakes/proxy";

const ACCOUNT = {
  accountId: "123456789012",
  accessKey: "AKFAKEOUTSCALE000001",
  secretKey: "FAKESECRETOUTSCALE0000000000000000000001",
  email: "ops@example.com",
};
const NARROW = {
  ...ACCOUNT,
  accountId: "210987654321",
  accessKey: "AKFAKENARROWUSER0002",
  policy: "no-read-accounts" as const,
};

let fake: OutscaleFake;
let proxy: TestProxy;
let environment: ProviderEnvironment;

beforeAll(async () => {
  fake = await startOutscaleFake({ region: "eu-west-2", accounts: [ACCOUNT, NARROW] });
  proxy = await startTestProxy({ username: "proxyuser", password: "proxy-secret" });
  environment = {
    outscaleApiUrlTemplate: fake.urlTemplate,
    outscaleOosUrlTemplate: "http://127.0.0.1:1",
    cleverCloudApiUrl: "http://127.0.0.1:1",
    timeoutMs: 800,
    retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50, jitterMs: 5 },
    publicAddressesOnly: false,
  };
});
afterAll(async () => {
  await fake.stop();
  await proxy.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.failures.reset();
});

const keys = (overrides: Partial<typeof ACCOUNT & { region: string; proxy: string }> = {}) => ({
  accessKey: ACCOUNT.accessKey,
  secretKey: ACCOUNT.secretKey,
  accountId: ACCOUNT.accountId,
  region: "eu-west-2",
  ...overrides,
});

describe("OUTSCALE identity check", () => {
  it("answers valid with the account found by ReadAccounts", async () => {
    const outcome = await checkOutscaleIdentity(keys(), environment);
    expect(outcome).toEqual({
      status: "valid",
      identity: { accountId: "123456789012", email: "ops@example.com" },
    });
  });

  it("answers invalid for a wrong secret, after exactly one attempt", async () => {
    const outcome = await checkOutscaleIdentity(
      keys({ secretKey: "WRONGSECRET0000000000000000000000000000X" }),
      environment,
    );
    expect(outcome.status).toBe("invalid");
    expect(outcome.error).toMatch(/authentication failed/);
    expect(fake.requests).toHaveLength(1);
  });

  it("says a key of another region looks like a wrong key", async () => {
    const outcome = await checkOutscaleIdentity(keys({ region: "us-east-2" }), environment);
    expect(outcome).toMatchObject({
      status: "invalid",
      error: expect.stringContaining("another region than us-east-2"),
    });
  });

  it("answers invalid when the key belongs to another account", async () => {
    const outcome = await checkOutscaleIdentity(keys({ accountId: "999999999999" }), environment);
    expect(outcome).toMatchObject({ status: "invalid", identity: { accountId: "123456789012" } });
  });

  it("falls back to ReadAccessKeys for a sub-user that may not ReadAccounts", async () => {
    const outcome = await checkOutscaleIdentity(
      keys({ accessKey: NARROW.accessKey, accountId: NARROW.accountId }),
      environment,
    );
    expect(outcome).toMatchObject({
      status: "valid",
      identity: {
        accountIdVerified: false,
        accessKeyState: "ACTIVE",
        expiresAt: "2027-01-15T10:00:00.000+0000",
      },
    });
    expect(fake.requests.map((request) => request.action)).toEqual(["ReadAccounts", "ReadAccessKeys"]);
  });

  it("retries 429 and 503 with backoff, then succeeds", async () => {
    fake.failures.failNext(429, 2);
    fake.failures.failNext(503, 1);
    const outcome = await checkOutscaleIdentity(keys(), environment);
    expect(outcome.status).toBe("valid");
    expect(fake.requests.map((request) => request.status)).toEqual([429, 429, 503, 200]);
  });

  it("gives up after a bounded number of retries and says it is unreachable", async () => {
    fake.failures.failNext(503, 10);
    const outcome = await checkOutscaleIdentity(keys(), environment);
    expect(outcome).toMatchObject({ status: "unreachable", error: expect.stringContaining("throttling") });
    expect(fake.requests).toHaveLength(4);
  });

  it("answers unreachable for a closed port and for a slow server, within the timeout", async () => {
    const closed = await checkOutscaleIdentity(keys(), {
      ...environment,
      outscaleApiUrlTemplate: "http://127.0.0.1:9/api/v1",
    });
    expect(closed).toMatchObject({
      status: "unreachable",
      error: expect.stringContaining("connection refused"),
    });
    fake.failures.latencyMs = 2000;
    const started = Date.now();
    const slow = await checkOutscaleIdentity(keys(), environment);
    expect(slow).toMatchObject({
      status: "unreachable",
      error: expect.stringContaining("no answer within 800 ms"),
    });
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it("sends every request through the credential's proxy, with its basic-auth credentials", async () => {
    const outcome = await checkOutscaleIdentity(
      keys({ accessKey: NARROW.accessKey, accountId: NARROW.accountId, proxy: proxy.url }),
      environment,
    );
    expect(outcome.status).toBe("valid");
    expect(fake.requests).toHaveLength(2);
    expect(proxy.connects).toBeGreaterThan(0);
    for (const request of fake.requests) expect(proxy.upstreamPorts).toContain(request.remotePort);
    const refused = await checkOutscaleIdentity(
      keys({ proxy: proxy.url.replace("proxy-secret", "wrong") }),
      environment,
    );
    expect(refused).toMatchObject({ status: "unreachable", error: expect.stringContaining("proxy refused") });
    expect(proxy.rejected).toBeGreaterThan(0);
  });
});

describe("the OUTSCALE fake's own checks", () => {
  async function signedRequest(options: { secret?: string; date?: Date; region?: string }) {
    const url = new URL(`${fake.url}/api/v1/ReadAccounts`);
    const signer = new SignatureV4({
      service: "api",
      region: options.region ?? "eu-west-2",
      credentials: { accessKeyId: ACCOUNT.accessKey, secretAccessKey: options.secret ?? ACCOUNT.secretKey },
      sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: "POST",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        headers: { host: url.host, "content-type": "application/json" },
        body: "{}",
      }),
      { signingDate: options.date },
    );
    return fetch(url, { method: "POST", headers: signed.headers, body: "{}" });
  }

  it("accepts a correct SigV4 signature and refuses a wrong secret with OUTSCALE's error body", async () => {
    expect((await signedRequest({})).status).toBe(200);
    const refused = await signedRequest({ secret: "X".repeat(40) });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      Errors: [{ Code: "1" }],
      ResponseContext: { RequestId: expect.any(String) },
    });
  });

  it("refuses a request signed more than 5 minutes away from its clock", async () => {
    expect((await signedRequest({ date: new Date(Date.now() - 6 * 60_000) })).status).toBe(401);
  });

  it("accepts OUTSCALE's own OSC4 signing", async () => {
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const day = amzDate.slice(0, 8);
    const url = new URL(`${fake.url}/api/v1/ReadAccounts`);
    const body = "{}";
    const canonical = [
      "POST",
      url.pathname,
      "",
      `host:${url.host}\nx-osc-date:${amzDate}\n`,
      "host;x-osc-date",
      createHash("sha256").update(body).digest("hex"),
    ].join("\n");
    const scope = `${day}/eu-west-2/api/osc4_request`;
    const toSign = [
      "OSC4-HMAC-SHA256",
      amzDate,
      scope,
      createHash("sha256").update(canonical).digest("hex"),
    ].join("\n");
    let key: Buffer | string = `OSC4${ACCOUNT.secretKey}`;
    for (const part of [day, "eu-west-2", "api", "osc4_request"])
      key = createHmac("sha256", key).update(part).digest();
    const signature = createHmac("sha256", key).update(toSign).digest("hex");
    const reply = await fetch(url, {
      method: "POST",
      body,
      headers: {
        "x-osc-date": amzDate,
        authorization: `OSC4-HMAC-SHA256 Credential=${ACCOUNT.accessKey}/${scope}, SignedHeaders=host;x-osc-date, Signature=${signature}`,
      },
    });
    expect(reply.status).toBe(200);
  });

  it("locks a key after four bad signatures in a row, as OUTSCALE does", async () => {
    const lockFake = await startOutscaleFake({ accounts: [ACCOUNT] });
    const signer = (secret: string) =>
      checkOutscaleIdentity(keys({ secretKey: secret }), {
        ...environment,
        outscaleApiUrlTemplate: lockFake.urlTemplate,
      });
    for (let attempt = 0; attempt < 4; attempt++) await signer("W".repeat(40));
    const locked = await signer(ACCOUNT.secretKey);
    expect(locked).toMatchObject({ status: "invalid", error: expect.stringContaining("temporarily locked") });
    await lockFake.stop();
  });
});
