import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api";
import { billingBody, cleverOauthBody, outscaleBody } from "../support/fixtures";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

const withSettings = (overrides: Record<string, unknown>) => {
  const body = outscaleBody("bad-input");
  return { ...body, settings: { ...body.settings, ...overrides } };
};

interface BadCase {
  title: string;
  status: number;
  code: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

const cases: BadCase[] = [
  {
    title: "malformed JSON",
    status: 400,
    code: "malformed_json",
    rawBody: '{"name": ',
    headers: { "content-type": "application/json" },
  },
  {
    title: "a form body",
    status: 415,
    code: "unsupported_media_type",
    rawBody: "name=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  },
  {
    title: "no content type",
    status: 415,
    code: "unsupported_media_type",
    rawBody: "{}",
    headers: { "content-type": "" },
  },
  {
    title: "a body over 64 KiB",
    status: 413,
    code: "payload_too_large",
    body: { ...outscaleBody("big"), description: "x".repeat(70_000) },
  },
  { title: "no body", status: 400, code: "validation_failed", path: "provider" },
  { title: "a JSON array", status: 400, code: "validation_failed", body: [outscaleBody("array")] },
  {
    title: "an unknown top-level field",
    status: 400,
    code: "validation_failed",
    path: "colour",
    body: { ...outscaleBody("x"), colour: "blue" },
  },
  {
    title: "an unknown settings field",
    status: 400,
    code: "validation_failed",
    path: "settings.endpoint",
    body: withSettings({ endpoint: "x" }),
  },
  {
    title: "an unknown provider",
    status: 400,
    code: "validation_failed",
    path: "provider",
    body: { ...outscaleBody("x"), provider: "aws" },
  },
  {
    title: "a bad region",
    status: 400,
    code: "validation_failed",
    path: "settings.region",
    body: withSettings({ region: "eu-west-9" }),
  },
  {
    title: "a malformed proxy URL",
    status: 400,
    code: "validation_failed",
    path: "settings.proxy",
    body: withSettings({ proxy: "not a url" }),
  },
  {
    title: "a proxy with a path",
    status: 400,
    code: "validation_failed",
    path: "settings.proxy",
    body: withSettings({ proxy: "https://p.example.com:3128/x?y=1" }),
  },
  {
    title: "a short access key",
    status: 400,
    code: "validation_failed",
    path: "settings.accessKey",
    body: withSettings({ accessKey: "AKSHORT" }),
  },
  {
    title: "a long secret key",
    status: 400,
    code: "validation_failed",
    path: "settings.secretKey",
    body: withSettings({ secretKey: "A".repeat(41) }),
  },
  {
    title: "a bad account id",
    status: 400,
    code: "validation_failed",
    path: "settings.accountId",
    body: withSettings({ accountId: "12345" }),
  },
  {
    title: "an empty name",
    status: 400,
    code: "validation_failed",
    path: "name",
    body: { ...outscaleBody(""), name: "   " },
  },
  {
    title: "a name over 64 characters",
    status: 400,
    code: "validation_failed",
    path: "name",
    body: outscaleBody("n".repeat(65)),
  },
  {
    title: "a bad mode",
    status: 400,
    code: "validation_failed",
    path: "modes.0",
    body: { ...outscaleBody("x"), modes: ["backup"] },
  },
  {
    title: "inventory on a billing-only key",
    status: 400,
    code: "validation_failed",
    path: "modes",
    body: { ...billingBody("x"), modes: ["inventory"] },
  },
  {
    title: "no bucket",
    status: 400,
    code: "validation_failed",
    path: "settings.buckets",
    body: { ...billingBody("x"), settings: { ...billingBody("x").settings, buckets: [] } },
  },
  {
    title: "a bad bucket name",
    status: 400,
    code: "validation_failed",
    path: "settings.buckets.0.name",
    body: {
      ...billingBody("x"),
      settings: { ...billingBody("x").settings, buckets: [{ name: "Bad_Bucket", region: "eu-west-2" }] },
    },
  },
  {
    title: "a bad signature method",
    status: 400,
    code: "validation_failed",
    path: "settings.signatureMethod",
    body: {
      ...cleverOauthBody("x"),
      settings: { ...cleverOauthBody("x").settings, signatureMethod: "RSA-SHA1" },
    },
  },
  {
    title: "a missing auth type",
    status: 400,
    code: "validation_failed",
    path: "settings.authType",
    body: { ...cleverOauthBody("x"), settings: { consumerKey: "k" } },
  },
  {
    title: "a non-https host",
    status: 400,
    code: "validation_failed",
    path: "settings.host",
    body: {
      ...cleverOauthBody("x"),
      settings: { ...cleverOauthBody("x").settings, host: "ftp://api.example.com" },
    },
  },
  {
    title: "a bad tag value",
    status: 400,
    code: "validation_failed",
    path: "tags.team",
    body: { ...outscaleBody("x"), tags: { team: 42 } },
  },
  {
    title: "a bad Idempotency-Key",
    status: 400,
    code: "validation_failed",
    path: "Idempotency-Key",
    body: outscaleBody("x"),
    headers: { "idempotency-key": "x".repeat(300) },
  },
];

async function credentialItemCount(): Promise<number> {
  const reply = await api.dynamodb.send(new ScanCommand({ TableName: api.tableName }));
  return (reply.Items ?? []).filter((item) => item.entity?.S !== "audit-event").length;
}

describe("bad input on create", () => {
  for (const badCase of cases) {
    it(`answers ${badCase.status} ${badCase.code} for ${badCase.title}${badCase.path ? `, naming ${badCase.path}` : ""}`, async () => {
      const reply = await api.request("POST", "/v1/credentials", {
        body: badCase.body,
        rawBody: badCase.rawBody,
        headers: badCase.headers,
      });
      expect(reply.status).toBe(badCase.status);
      expect(reply.headers.get("content-type")).toBe("application/problem+json");
      expect(reply.json).toMatchObject({
        status: badCase.status,
        code: badCase.code,
        detail: expect.any(String),
      });
      if (badCase.path) {
        expect(reply.json.errors.map((error: { path: string }) => error.path)).toContain(badCase.path);
        expect(reply.json.detail).toContain(badCase.path);
      }
    });
  }

  it("wrote nothing for any of them", async () => {
    expect(await credentialItemCount()).toBe(0);
  });
});

describe("bad input elsewhere", () => {
  it("names a bad query parameter and refuses unknown ones", async () => {
    const limit = await api.request("GET", "/v1/credentials?limit=500");
    expect(limit.status).toBe(400);
    expect(limit.json.errors[0].path).toBe("query.limit");
    const unknown = await api.request("GET", "/v1/credentials?sort=name");
    expect(unknown.json.errors[0].path).toBe("query.sort");
    expect((await api.request("GET", "/v1/credentials?provider=gcp")).json.errors[0].path).toBe(
      "query.provider",
    );
    expect((await api.request("GET", "/v1/credentials?cursor=%%%")).status).toBe(400);
  });

  it("refuses a malformed If-Match and an empty patch", async () => {
    const created = await api.request("POST", "/v1/credentials", { body: outscaleBody("patch-target") });
    const path = `/v1/credentials/${created.json.id}`;
    const badEtag = await api.request("PATCH", path, {
      body: { name: "y" },
      headers: { "if-match": "yesterday" },
    });
    expect(badEtag.status).toBe(400);
    expect(badEtag.json.errors[0].path).toBe("If-Match");
    const empty = await api.request("PATCH", path, { body: {}, headers: { "if-match": '"1"' } });
    expect(empty.status).toBe(400);
    const unknown = await api.request("PATCH", path, {
      body: { provider: "clevercloud" },
      headers: { "if-match": '"1"' },
    });
    expect(unknown.json.errors[0].path).toBe("provider");
    expect((await api.request("GET", path)).json.version).toBe(1);
  });

  it("answers 404 for an unknown route and 405 with Allow for a wrong method", async () => {
    expect((await api.request("GET", "/v1/nothing-here")).status).toBe(404);
    const wrongMethod = await api.request("PUT", "/v1/credentials");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toContain("POST");
  });
});
