import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type OutscaleFake, startOutscaleFake } from "../../fakes/outscale";
import { outscaleCall } from "./clients";

const FULL = {
  accountId: "123456789012",
  accessKey: "AKFAKEOUTSCALE000001",
  secretKey: "FAKESECRETOUTSCALE0000000000000000000001",
  email: "ops@example.com",
};
const BILLING = {
  accountId: "210987654321",
  accessKey: "AKFAKEBILLINGONLY002",
  secretKey: "FAKESECRETBILLING00000000000000000000002",
  email: "billing@example.com",
  policy: "billing-only" as const,
};
const NARROW = { ...BILLING, accessKey: "AKFAKENARROWUSER0003", policy: "no-read-accounts" as const };

let fake: OutscaleFake;
const call = (
  action: string,
  body: unknown = {},
  options: Partial<Parameters<typeof outscaleCall>[3]> = {},
) =>
  outscaleCall(fake.url, action, body, { accessKey: FULL.accessKey, secretKey: FULL.secretKey, ...options });

beforeAll(async () => {
  fake = await startOutscaleFake({ region: "eu-west-2", accounts: [FULL, BILLING, NARROW] });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe("OUTSCALE fake: signatures", () => {
  it("accepts a request signed by @smithy/signature-v4 (AWS4, service api, its region)", async () => {
    const reply = await call("ReadAccounts");
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      Accounts: [{ AccountId: FULL.accountId, Email: FULL.email }],
      ResponseContext: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(fake.requests).toEqual([
      expect.objectContaining({ action: "ReadAccounts", accessKey: FULL.accessKey, status: 200 }),
    ]);
  });

  it("refuses a wrong secret, an unknown key and another region with 401, code 1, OUTSCALE's body", async () => {
    for (const reply of [
      await call("ReadAccounts", {}, { secretKey: "X".repeat(40) }),
      await call("ReadAccounts", {}, { accessKey: "AKUNKNOWNKEY00000000" }),
      await call("ReadAccounts", {}, { region: "us-east-2" }),
      await call("ReadAccounts", {}, { path: "/us-east-2/api/v1" }),
    ]) {
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({
        Errors: [{ Code: "1", Type: "AccessDenied", Details: expect.any(String) }],
        ResponseContext: { RequestId: expect.any(String) },
      });
    }
    expect((await call("ReadAccounts", {}, { path: "/eu-west-2/api/v1" })).status).toBe(200);
  });

  it("refuses a request signed more than 5 minutes away from its clock", async () => {
    expect((await call("ReadAccounts", {}, { date: new Date(Date.now() - 6 * 60_000) })).status).toBe(401);
    expect((await call("ReadAccounts", {}, { date: new Date(Date.now() + 6 * 60_000) })).status).toBe(401);
    expect((await call("ReadAccounts", {}, { date: new Date(Date.now() - 4 * 60_000) })).status).toBe(200);
  });

  it("accepts OUTSCALE's OSC4 signing (X-Osc-Date, OSC4 + secret, osc4_request scope)", async () => {
    const send = async (secret: string) => {
      const date = new Date()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
      const url = new URL(`${fake.url}/api/v1/ReadAccessKeys`);
      const body = "{}";
      const hash = (text: string) => createHash("sha256").update(text).digest("hex");
      const canonical = [
        "POST",
        url.pathname,
        "",
        `host:${url.host}\nx-osc-date:${date}\n`,
        "host;x-osc-date",
        hash(body),
      ];
      const scope = `${date.slice(0, 8)}/eu-west-2/api/osc4_request`;
      let key: Buffer | string = `OSC4${secret}`;
      for (const part of scope.split("/")) key = createHmac("sha256", key).update(part).digest();
      const toSign = ["OSC4-HMAC-SHA256", date, scope, hash(canonical.join("\n"))].join("\n");
      const signature = createHmac("sha256", key).update(toSign).digest("hex");
      const authorization = `OSC4-HMAC-SHA256 Credential=${FULL.accessKey}/${scope}, SignedHeaders=host;x-osc-date, Signature=${signature}`;
      return fetch(url, { method: "POST", body, headers: { "x-osc-date": date, authorization } });
    };
    expect((await send(FULL.secretKey)).status).toBe(200);
    expect((await send("W".repeat(40))).status).toBe(401);
  });

  it("locks a key after four bad signatures in a row (code 13), then unlocks after the lock time", async () => {
    let offset = 0;
    const locking = await startOutscaleFake({
      accounts: [FULL, BILLING],
      lockMs: 60_000,
      now: () => Date.now() + offset,
    });
    const attempt = (secretKey: string, account = FULL) =>
      outscaleCall(locking.url, "ReadAccessKeys", {}, { accessKey: account.accessKey, secretKey });
    try {
      for (let i = 0; i < 3; i++) expect((await attempt("W".repeat(40))).status).toBe(401);
      expect((await attempt(FULL.secretKey)).status).toBe(200); // a good one resets the count
      for (let i = 0; i < 4; i++)
        expect((await attempt("W".repeat(40))).json).toMatchObject({ Errors: [{ Code: "1" }] });
      const locked = await attempt(FULL.secretKey);
      expect(locked.status).toBe(401);
      expect(locked.json).toMatchObject({ Errors: [{ Code: "13" }] });
      expect((await attempt(BILLING.secretKey, BILLING)).status).toBe(401); // billing-only: ReadAccessKeys denied...
      expect((await attempt(BILLING.secretKey, BILLING)).json).toMatchObject({ Errors: [{ Code: "4" }] }); // ...not locked
      offset = 61_000;
      expect((await attempt(FULL.secretKey)).status).toBe(200);
    } finally {
      await locking.stop();
    }
  });
});

describe("OUTSCALE fake: policies and failure injection", () => {
  it("denies actions outside a narrow policy with 401 code 4", async () => {
    const billing = { accessKey: BILLING.accessKey, secretKey: BILLING.secretKey };
    expect((await call("ReadAccounts", {}, billing)).json).toMatchObject({ Errors: [{ Code: "4" }] });
    const window = { FromDate: "2025-01-01", ToDate: "2025-02-01" };
    expect((await call("ReadConsumptionAccount", window, billing)).status).toBe(200);
    const narrow = { accessKey: NARROW.accessKey, secretKey: NARROW.secretKey };
    expect((await call("ReadAccounts", {}, narrow)).status).toBe(401);
    expect((await call("ReadAccessKeys", {}, narrow)).status).toBe(200);
  });

  it("fails the next requests as asked (429 code 24, 503 code 6), then answers; counts attempts", async () => {
    fake.failNext(429, 1);
    fake.failNext(503, 1, { action: "ReadAccessKeys" });
    const first = await call("ReadAccounts");
    expect(first).toMatchObject({ status: 429, json: { Errors: [{ Code: "24" }] } });
    expect((await call("ReadAccounts")).status).toBe(200);
    expect(await call("ReadAccessKeys")).toMatchObject({ status: 503, json: { Errors: [{ Code: "6" }] } });
    expect((await call("ReadAccessKeys")).status).toBe(200);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 200, 503, 200]);
    expect(fake.attempts("ReadAccounts")).toBe(2);
  });

  it("fails one action for good with failAction, and delays answers with setLatency", async () => {
    fake.failAction("ReadVms", 500, "2000");
    for (let i = 0; i < 2; i++) expect((await call("ReadVms")).status).toBe(500);
    expect((await call("ReadVolumes")).status).toBe(200);
    fake.setLatency(150);
    const started = Date.now();
    await call("ReadAccounts");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
