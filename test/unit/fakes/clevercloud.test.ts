import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type CleverCloudFake,
  cleverAddon,
  cleverApplication,
  cleverId,
  startCleverCloudFake,
} from "../../fakes/clevercloud";
import { type OAuthMethod, oauthAuthorization, withoutHeaderParam } from "./clients";

const USER = { id: cleverId("user"), email: "dev@example.com", name: "Dev" };
const OUTSIDER = { id: cleverId("user"), email: "other@example.com", name: "Other" };
const CONSUMER = { key: "consumer-key-1", secret: "consumer-secret-1" };
const TOKEN = { key: "access-token-1", secret: "token-secret-1" };
const ORG = cleverId("orga");
const FOREIGN_ORG = cleverId("orga");
const APP = cleverApplication({ name: "api", zone: "par" });
const ADDON = cleverAddon({ region: "par" });
const PERSONAL_APP = cleverApplication({ name: "hobby" });

let fake: CleverCloudFake;

beforeAll(async () => {
  fake = await startCleverCloudFake({
    consumers: [{ ...CONSUMER, callbackDomain: "vault.example.com" }],
    tokens: [{ token: TOKEN.key, secret: TOKEN.secret, userId: USER.id, consumerKey: CONSUMER.key }],
    apiTokens: [
      { token: "api-token-1", userId: USER.id },
      { token: "api-token-expired", userId: USER.id, expirationDate: "2020-01-01T00:00:00Z" },
    ],
    users: [{ ...USER, applications: [PERSONAL_APP] }, OUTSIDER],
    organisations: [
      {
        id: ORG,
        name: "Acme",
        members: [{ userId: USER.id, role: "ACCOUNTING" }],
        applications: [APP],
        addons: [ADDON],
      },
      { id: FOREIGN_ORG, name: "Elsewhere", members: [OUTSIDER.id], applications: [], addons: [] },
    ],
    approvingUserId: USER.id,
  });
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
  fake.failures.reset();
});

function signedGet(
  path: string,
  options: { method?: OAuthMethod; consumer?: typeof CONSUMER; token?: typeof TOKEN } = {},
) {
  const url = `${fake.url}${path}`;
  const authorization = oauthAuthorization({
    consumer: options.consumer ?? CONSUMER,
    token: options.token ?? TOKEN,
    method: "GET",
    url,
    signatureMethod: options.method ?? "HMAC-SHA512",
  });
  return fetch(url, { headers: { authorization } });
}

describe("Clever Cloud fake: OAuth 1.0a", () => {
  it.each(["PLAINTEXT", "HMAC-SHA1", "HMAC-SHA512"] as const)(
    "accepts %s requests signed by oauth-1.0a",
    async (method) => {
      const reply = await signedGet("/v2/self", { method });
      expect(reply.status).toBe(200);
      expect(await reply.json()).toMatchObject({ id: USER.id, email: USER.email, name: USER.name });
      expect(fake.requests).toEqual([
        expect.objectContaining({ path: "/v2/self", scheme: "oauth", signatureMethod: method, status: 200 }),
      ]);
    },
  );

  it("refuses a wrong consumer or token secret, an unknown key or token, with 401 { id: 4001, message, type }", async () => {
    for (const reply of [
      await signedGet("/v2/self", { consumer: { ...CONSUMER, secret: "wrong" } }),
      await signedGet("/v2/self", { token: { ...TOKEN, secret: "wrong" } }),
      await signedGet("/v2/self", { method: "PLAINTEXT", token: { ...TOKEN, secret: "wrong" } }),
      await signedGet("/v2/self", { consumer: { key: "unknown", secret: CONSUMER.secret } }),
      await signedGet("/v2/self", { token: { key: "unknown", secret: TOKEN.secret } }),
      await fetch(`${fake.url}/v2/self`),
    ]) {
      expect(reply.status).toBe(401);
      expect(await reply.json()).toEqual({ id: 4001, message: expect.any(String), type: "error" });
    }
  });

  it("refuses a timestamp more than 5 minutes off, and a nonce used twice", async () => {
    const url = `${fake.url}/v2/self`;
    const header = oauthAuthorization({
      consumer: CONSUMER,
      token: TOKEN,
      method: "GET",
      url,
      signatureMethod: "HMAC-SHA1",
    });
    for (const skew of [-400, 400]) {
      const timestamp = Math.floor(Date.now() / 1000) + skew;
      const skewed = oauthAuthorization({
        consumer: CONSUMER,
        token: TOKEN,
        method: "GET",
        url,
        signatureMethod: "HMAC-SHA1",
        timestamp,
      });
      expect(skewed).toContain(`oauth_timestamp="${timestamp}"`);
      expect((await fetch(url, { headers: { authorization: skewed } })).status).toBe(401);
    }
    expect((await fetch(url, { headers: { authorization: header } })).status).toBe(200);
    expect((await fetch(url, { headers: { authorization: header } })).status).toBe(401);
  });

  it("signs the query: repeated keys work, a tampered query is refused", async () => {
    expect((await signedGet("/v2/self?a=1&a=2&b=x%20y")).status).toBe(200);
    const url = `${fake.url}/v2/self?a=1`;
    const authorization = oauthAuthorization({
      consumer: CONSUMER,
      token: TOKEN,
      method: "GET",
      url,
      signatureMethod: "HMAC-SHA1",
    });
    expect((await fetch(`${fake.url}/v2/self?a=2`, { headers: { authorization } })).status).toBe(401);
  });

  it("runs the connect flow: request token, auto-approved authorize, access token that then works", async () => {
    const requestUrl = `${fake.url}/v2/oauth/request_token`;
    const callback = "https://vault.example.com/connect/callback?state=abc";
    // oauth_callback as a form parameter (signed as such), not in the header.
    const requestAuth = withoutHeaderParam(
      oauthAuthorization({
        consumer: CONSUMER,
        method: "POST",
        url: requestUrl,
        data: { oauth_callback: callback },
        signatureMethod: "HMAC-SHA512",
      }),
      "oauth_callback",
    );
    expect(requestAuth).not.toContain("oauth_callback");
    const requested = await fetch(requestUrl, {
      method: "POST",
      headers: { authorization: requestAuth },
      body: new URLSearchParams({ oauth_callback: callback }),
    });
    expect(requested.status).toBe(200);
    const request = new URLSearchParams(await requested.text());
    expect(request.get("oauth_callback_confirmed")).toBe("true");
    const requestToken = { key: request.get("oauth_token")!, secret: request.get("oauth_token_secret")! };
    expect((await signedGet("/v2/self", { token: requestToken })).status).toBe(401);

    const authorized = await fetch(`${fake.url}/v2/oauth/authorize?oauth_token=${requestToken.key}`, {
      redirect: "manual",
    });
    expect(authorized.status).toBe(302);
    const location = new URL(authorized.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://vault.example.com/connect/callback");
    expect(location.searchParams.get("state")).toBe("abc");
    expect(location.searchParams.get("oauth_token")).toBe(requestToken.key);
    const verifier = location.searchParams.get("oauth_verifier")!;

    const accessUrl = `${fake.url}/v2/oauth/access_token`;
    // oauth_verifier in the header, as oauth-1.0a puts it.
    const exchange = (oauth_verifier: string) =>
      fetch(accessUrl, {
        method: "POST",
        headers: {
          authorization: oauthAuthorization({
            consumer: CONSUMER,
            token: requestToken,
            method: "POST",
            url: accessUrl,
            data: { oauth_verifier },
            signatureMethod: "HMAC-SHA1",
          }),
        },
      });
    expect((await exchange("wrong")).status).toBe(401);
    const exchanged = await exchange(verifier);
    expect(exchanged.status).toBe(200);
    const access = new URLSearchParams(await exchanged.text());
    expect(Date.parse(access.get("expiration_date")!)).toBeGreaterThan(Date.now());
    const accessToken = { key: access.get("oauth_token")!, secret: access.get("oauth_token_secret")! };
    expect(await (await signedGet("/v2/self", { token: accessToken })).json()).toMatchObject({ id: USER.id });
    expect(await (await signedGet("/v2/self/tokens/current", { token: accessToken })).json()).toMatchObject({
      expirationDate: access.get("expiration_date"),
    });
    expect((await exchange(verifier)).status).toBe(401); // the request token is spent
  });

  it("takes oauth_callback from the header too, and refuses a callback off the consumer's domain", async () => {
    const url = `${fake.url}/v2/oauth/request_token`;
    const post = (callback: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          authorization: oauthAuthorization({
            consumer: CONSUMER,
            method: "POST",
            url,
            data: { oauth_callback: callback },
            signatureMethod: "PLAINTEXT",
          }),
        },
      });
    expect((await post("https://app.vault.example.com/cb")).status).toBe(200);
    expect((await post("https://evil.example.org/cb")).status).toBe(400);
  });
});

describe("Clever Cloud fake: API tokens, routes and failures", () => {
  const bearer = (path: string, token = "api-token-1") =>
    fetch(`${fake.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it("accepts Bearer API tokens on the same routes, and refuses unknown or expired ones", async () => {
    expect(await (await bearer("/v2/self")).json()).toMatchObject({ id: USER.id });
    expect((await bearer("/v2/self", "nope")).status).toBe(401);
    expect((await bearer("/v2/self", "api-token-expired")).status).toBe(401);
    expect(fake.requests.map((request) => request.scheme)).toEqual(["bearer", "bearer", "bearer"]);
  });

  it("serves the summary, organisations, their applications and add-ons, and the personal space", async () => {
    expect(await (await bearer("/v2/summary")).json()).toMatchObject({
      user: { id: USER.id, applications: [{ id: PERSONAL_APP.id }] },
      organisations: [
        {
          id: ORG,
          name: "Acme",
          role: "ACCOUNTING",
          applications: [{ id: APP.id }],
          addons: [{ id: ADDON.id }],
        },
      ],
    });
    expect(await (await bearer(`/v2/organisations/${ORG}`)).json()).toMatchObject({ id: ORG, name: "Acme" });
    const apps = (await (await signedGet(`/v2/organisations/${ORG}/applications`)).json()) as unknown[];
    expect(apps).toEqual([APP]);
    expect(apps[0]).toMatchObject({
      id: expect.stringMatching(/^app_[0-9a-f-]{36}$/),
      instance: { minFlavor: { name: "XS" } },
    });
    expect(await (await bearer(`/v2/organisations/${ORG}/addons`)).json()).toEqual([ADDON]);
    expect(await (await bearer("/v2/self/applications")).json()).toEqual([PERSONAL_APP]);
    expect(await (await bearer(`/v2/organisations/${USER.id}/applications`)).json()).toEqual([PERSONAL_APP]);
    expect(await (await bearer("/v2/self/addons")).json()).toEqual([]);
    expect((await bearer(`/v2/organisations/${FOREIGN_ORG}/applications`)).status).toBe(403);
    expect((await bearer(`/v2/organisations/${cleverId("orga")}`)).status).toBe(404);
  });

  it("fails the next requests as asked, then answers; and adds latency", async () => {
    fake.failNext(429, 1);
    fake.failNext(503, 1);
    expect((await bearer("/v2/self")).status).toBe(429);
    expect((await signedGet("/v2/self")).status).toBe(503);
    expect((await signedGet("/v2/self")).status).toBe(200);
    expect(fake.requests.map((request) => request.status)).toEqual([429, 503, 200]);
    fake.setLatency(150);
    const started = Date.now();
    await bearer("/v2/self");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
