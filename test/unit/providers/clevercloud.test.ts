import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CleverCloudAuth } from "../../../shared/providers/clevercloud/client";
import { checkCleverCloudIdentity } from "../../../shared/providers/clevercloud/identity";
import { oauthHeader, oauthSigner } from "../../../shared/providers/clevercloud/oauth";
import type { ProviderEnvironment } from "../../../shared/providers/environment";
import { type CleverCloudFake, startCleverCloudFake } from "../../fakes/clevercloud";

const USER = { id: "user_11111111-2222-3333-4444-555555555555", email: "dev@example.com", name: "Dev" };
const ORG = "orga_aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

let fake: CleverCloudFake;
let environment: ProviderEnvironment;

beforeAll(async () => {
  fake = await startCleverCloudFake();
  fake
    .addUser(USER)
    .addConsumer("consumer-key-1", "consumer-secret-1")
    .addAccessToken("access-token-1", "token-secret-1", USER.id, "consumer-key-1")
    .addApiToken("api-token-1", USER.id);
  fake.organisations.push({ id: ORG, name: "Acme", members: [USER.id], applications: [], addons: [] });
  environment = {
    outscaleApiUrlTemplate: "http://127.0.0.1:1",
    outscaleOosUrlTemplate: "http://127.0.0.1:1",
    cleverCloudApiUrl: fake.url,
    timeoutMs: 800,
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, jitterMs: 5 },
    publicAddressesOnly: false,
  };
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.failures.reset();
});

const oauth = (
  overrides: Partial<Extract<CleverCloudAuth, { authType: "oauth1" }>> = {},
): CleverCloudAuth => ({
  authType: "oauth1",
  consumerKey: "consumer-key-1",
  consumerSecret: "consumer-secret-1",
  token: "access-token-1",
  tokenSecret: "token-secret-1",
  signatureMethod: "HMAC-SHA512",
  host: fake.url,
  ...overrides,
});

describe("Clever Cloud identity check", () => {
  for (const signatureMethod of ["HMAC-SHA512", "HMAC-SHA1", "PLAINTEXT"] as const) {
    it(`answers valid with the user and organisations, signing with ${signatureMethod}`, async () => {
      const outcome = await checkCleverCloudIdentity(oauth({ signatureMethod }), environment);
      expect(outcome).toEqual({
        status: "valid",
        identity: { userId: USER.id, email: USER.email, name: USER.name, organisationIds: [ORG] },
      });
      expect(fake.requests.every((request) => request.signatureMethod === signatureMethod)).toBe(true);
    });
  }

  it("answers invalid for a wrong consumer secret or token secret, without retrying", async () => {
    for (const wrong of [{ consumerSecret: "nope" }, { tokenSecret: "nope" }]) {
      fake.requests.length = 0;
      const outcome = await checkCleverCloudIdentity(oauth(wrong), environment);
      expect(outcome).toMatchObject({
        status: "invalid",
        error: expect.stringContaining("refused the credentials"),
      });
      expect(fake.requests).toHaveLength(1);
    }
  });

  it("answers valid for an API token on the bridge, invalid for an unknown one", async () => {
    expect(
      await checkCleverCloudIdentity(
        { authType: "apiToken", apiToken: "api-token-1", host: fake.url },
        environment,
      ),
    ).toMatchObject({
      status: "valid",
      identity: { userId: USER.id },
    });
    expect(fake.requests[0]?.scheme).toBe("bearer");
    expect(
      (
        await checkCleverCloudIdentity(
          { authType: "apiToken", apiToken: "revoked", host: fake.url },
          environment,
        )
      ).status,
    ).toBe("invalid");
  });

  it("retries a 429 and says unreachable when the server keeps failing", async () => {
    fake.failures.failNext(429, 1, "/v2/self");
    expect((await checkCleverCloudIdentity(oauth(), environment)).status).toBe("valid");
    fake.failures.failNext(503, 10);
    expect((await checkCleverCloudIdentity(oauth(), environment)).status).toBe("unreachable");
  });
});

describe("the Clever Cloud fake's own checks", () => {
  it("refuses a replayed nonce and a stale timestamp", async () => {
    const signer = oauthSigner({ key: "consumer-key-1", secret: "consumer-secret-1" }, "HMAC-SHA1");
    const url = `${fake.url}/v2/self`;
    const header = oauthHeader(
      signer,
      { method: "GET", url },
      { key: "access-token-1", secret: "token-secret-1" },
    );
    expect((await fetch(url, { headers: { authorization: header } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: header } })).status).toBe(401);
    const stale = header.replace(
      /oauth_timestamp="\d+"/,
      `oauth_timestamp="${Math.floor(Date.now() / 1000) - 3600}"`,
    );
    expect((await fetch(url, { headers: { authorization: stale } })).status).toBe(401);
  });

  it("signs query parameters: a tampered query is refused", async () => {
    const signer = oauthSigner({ key: "consumer-key-1", secret: "consumer-secret-1" }, "HMAC-SHA512");
    const url = `${fake.url}/v2/self?a=1&a=2&b=x y`;
    const header = oauthHeader(
      signer,
      { method: "GET", url },
      { key: "access-token-1", secret: "token-secret-1" },
    );
    expect(
      (await fetch(url.replace("b=x y", "b=x%20z"), { headers: { authorization: header } })).status,
    ).toBe(401);
    const fresh = oauthHeader(
      signer,
      { method: "GET", url },
      { key: "access-token-1", secret: "token-secret-1" },
    );
    expect((await fetch(url, { headers: { authorization: fresh } })).status).toBe(200);
  });
});
