import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CleverCloudFake, startCleverCloudFake } from "../fakes/clevercloud";
import { startTestApi, type TestApi } from "../support/api";
import { leakedSecrets } from "../support/fixtures";

const USER = {
  id: "user_99999999-2222-3333-4444-555555555555",
  email: "connect@example.com",
  name: "Connect",
};
const CONSUMER_SECRET = "fake-connect-consumer-secret-0009";

let api: TestApi;
let clever: CleverCloudFake;

beforeAll(async () => {
  clever = await startCleverCloudFake();
  clever.addUser(USER).addConsumer("connect-consumer", CONSUMER_SECRET);
  clever.approvingUserId = USER.id;
  api = await startTestApi({ CLEVERCLOUD_API_URL: clever.url });
});
afterAll(async () => {
  await api.stop();
  await clever.stop();
});

async function startConnect(name: string, consumerSecret = CONSUMER_SECRET) {
  return api.request("POST", "/v1/connect/clevercloud", {
    body: { name, consumerKey: "connect-consumer", consumerSecret, signatureMethod: "HMAC-SHA1" },
  });
}

/** The user's browser: approve at Clever Cloud, follow the redirect to our callback. */
async function approve(authorizeUrl: string): Promise<URL> {
  const redirect = await fetch(authorizeUrl, { redirect: "manual" });
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get("location")!);
}

describe("connecting a Clever Cloud account with OAuth 1", () => {
  it("runs the dance end to end and stores a credential that validates", async () => {
    const started = await startConnect("connected-account");
    expect(started.status).toBe(201);
    expect(started.json).toEqual({
      connectId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      authorizeUrl: expect.stringContaining(`${clever.url}/v2/oauth/authorize?oauth_token=`),
      expiresAt: expect.any(String),
    });
    const callback = await approve(started.json.authorizeUrl);
    expect(callback.origin).toBe(api.url);
    expect(callback.pathname).toBe("/v1/connect/clevercloud/callback");
    expect(callback.searchParams.get("tenant")).toBe("acme");

    const finished = await api.request("GET", `${callback.pathname}${callback.search}`, { token: null });
    expect(finished.status).toBe(201);
    expect(finished.json).toMatchObject({
      name: "connected-account",
      provider: "clevercloud",
      createdBy: "local-user@acme",
      settings: { authType: "oauth1", signatureMethod: "HMAC-SHA1", host: clever.url },
      secretFields: ["consumerSecret", "tokenSecret"],
    });
    const validated = await api.request("POST", `/v1/credentials/${finished.json.id}/validate`);
    expect(validated.json.validation).toMatchObject({ status: "valid", identity: { userId: USER.id } });

    const replay = await api.request("GET", `${callback.pathname}${callback.search}`, { token: null });
    expect(replay.status).toBe(404);
  });

  it("refuses a callback whose oauth_token does not match the pending connection", async () => {
    const started = await startConnect("mismatched");
    const callback = await approve(started.json.authorizeUrl);
    callback.searchParams.set("oauth_token", "rt_someone-elses-token");
    const reply = await api.request("GET", `${callback.pathname}${callback.search}`, { token: null });
    expect(reply.status).toBe(400);
    expect(reply.json.code).toBe("connect_token_mismatch");
    expect((await api.request("GET", "/v1/credentials?q=mismatched")).json.items).toEqual([]);
  });

  it("says the provider refused a wrong consumer secret", async () => {
    const reply = await startConnect("wrong-consumer", "not-the-secret");
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({
      code: "provider_refused",
      detail: expect.stringContaining("consumer key or secret"),
    });
  });

  it("keeps the consumer and request-token secrets sealed while the dance is pending", async () => {
    await startConnect("pending-one");
    const items = (await api.dynamodb.send(new ScanCommand({ TableName: api.tableName }))).Items ?? [];
    const pending = items.filter((item) => item.entity?.S === "pending-connection");
    expect(pending.length).toBeGreaterThan(0);
    expect(JSON.stringify(items)).not.toContain(CONSUMER_SECRET);
    expect(leakedSecrets([...api.responses, ...api.logLines])).toEqual([]);
    expect([...api.responses, ...api.logLines].some((line) => line.includes(CONSUMER_SECRET))).toBe(false);
  });

  it("validates the start request", async () => {
    const reply = await api.request("POST", "/v1/connect/clevercloud", {
      body: { name: "x", consumerKey: "k" },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].path).toBe("consumerSecret");
    expect(
      (await api.request("GET", "/v1/connect/clevercloud/callback?tenant=acme", { token: null })).status,
    ).toBe(400);
  });
});
