import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FailureQueue, type FakeServer, listen, lowerCaseHeaders, readBody, sendJson } from "./http-server";
import { oauthSignatureMatches, parseOAuthHeader } from "./sign-check";

export interface FakeCleverUser {
  id: string;
  email: string;
  name: string;
}

export interface FakeCleverOrganisation {
  id: string;
  name: string;
  members: string[];
  applications: Array<Record<string, unknown>>;
  addons: Array<Record<string, unknown>>;
}

export interface FakeCleverRequest {
  method: string;
  path: string;
  scheme: "oauth" | "bearer" | "none";
  signatureMethod?: string;
  status: number;
}

const TIMESTAMP_WINDOW_S = 300;

/**
 * Clever Cloud's API as the clients use it: OAuth 1.0a requests verified with the consumer and
 * token secrets it was given (PLAINTEXT, HMAC-SHA1, HMAC-SHA512, stale timestamps and reused
 * nonces refused), Bearer API tokens, identity and organisation routes, and the connect dance.
 */
export class CleverCloudFake {
  readonly requests: FakeCleverRequest[] = [];
  readonly failures = new FailureQueue();
  readonly consumers = new Map<string, string>();
  /** token -> { secret, userId, kind } (request tokens become access tokens after the dance). */
  readonly tokens = new Map<
    string,
    {
      secret: string;
      userId: string;
      consumerKey: string;
      kind: "request" | "access";
      verifier?: string;
      callback?: string;
    }
  >();
  readonly apiTokens = new Map<string, string>();
  readonly users: FakeCleverUser[] = [];
  readonly organisations: FakeCleverOrganisation[] = [];
  private readonly seenNonces = new Set<string>();
  private server?: FakeServer;
  /** The user who approves the next authorize request in the connect dance. */
  approvingUserId?: string;

  get url(): string {
    return this.server!.url;
  }

  async start(): Promise<this> {
    this.server = await listen((request, response) => void this.handle(request, response));
    return this;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  addUser(user: FakeCleverUser): this {
    this.users.push(user);
    return this;
  }

  addConsumer(key: string, secret: string): this {
    this.consumers.set(key, secret);
    return this;
  }

  addAccessToken(token: string, secret: string, userId: string, consumerKey: string): this {
    this.tokens.set(token, { secret, userId, consumerKey, kind: "access" });
    return this;
  }

  addApiToken(token: string, userId: string): this {
    this.apiTokens.set(token, userId);
    return this;
  }

  private refuse(response: ServerResponse, status: number, message: string) {
    sendJson(response, status, { id: status === 401 ? 4001 : 4000, message, type: "error" });
  }

  /** Verifies the OAuth header; answers the caller's user id (or the token record) or a refusal. */
  private authenticate(
    method: string,
    url: URL,
    headers: Record<string, string>,
    formParams: Array<[string, string]>,
    tokenKind: "request" | "access" | "none",
  ): { ok: true; userId?: string; params: Record<string, string> } | { ok: false; reason: string } {
    const params = parseOAuthHeader(headers.authorization);
    if (!params) return { ok: false, reason: "missing OAuth authorization" };
    const consumerSecret = this.consumers.get(params.oauth_consumer_key ?? "");
    if (consumerSecret === undefined) return { ok: false, reason: "unknown consumer" };
    const timestamp = Number(params.oauth_timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_S) {
      return { ok: false, reason: "stale or missing timestamp" };
    }
    const nonceKey = `${params.oauth_consumer_key}:${params.oauth_timestamp}:${params.oauth_nonce}`;
    if (!params.oauth_nonce || this.seenNonces.has(nonceKey)) return { ok: false, reason: "nonce reused" };
    let tokenSecret = "";
    let userId: string | undefined;
    if (tokenKind !== "none") {
      const token = this.tokens.get(params.oauth_token ?? "");
      if (!token || token.kind !== tokenKind || token.consumerKey !== params.oauth_consumer_key) {
        return { ok: false, reason: "unknown token" };
      }
      tokenSecret = token.secret;
      userId = token.userId;
    }
    if (
      !oauthSignatureMatches({ method, url, oauthParams: params, formParams }, consumerSecret, tokenSecret)
    ) {
      return { ok: false, reason: "invalid signature" };
    }
    this.seenNonces.add(nonceKey);
    return { ok: true, userId, params };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", this.server!.url);
    const headers = lowerCaseHeaders(request);
    const body = await readBody(request);
    const formParams = (headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
      ? [...new URLSearchParams(body).entries()]
      : [];
    const scheme = headers.authorization?.startsWith("OAuth ")
      ? "oauth"
      : headers.authorization?.startsWith("Bearer ")
        ? "bearer"
        : "none";
    const entry: FakeCleverRequest = {
      method,
      path: url.pathname,
      scheme,
      signatureMethod: parseOAuthHeader(headers.authorization)?.oauth_signature_method,
      status: 200,
    };
    this.requests.push(entry);
    const refuse = (status: number, message: string) => {
      entry.status = status;
      this.refuse(response, status, message);
    };
    const reply = (status: number, payload: unknown) => {
      entry.status = status;
      sendJson(response, status, payload);
    };
    await this.failures.delay();

    // The connect dance.
    if (method === "POST" && url.pathname === "/v2/oauth/request_token") {
      const auth = this.authenticate(method, url, headers, formParams, "none");
      if (!auth.ok) return refuse(401, auth.reason);
      const callback = Object.fromEntries(formParams).oauth_callback ?? auth.params.oauth_callback;
      const token = `rt_${randomUUID()}`;
      const secret = randomBytes(16).toString("hex");
      this.tokens.set(token, {
        secret,
        userId: "",
        consumerKey: auth.params.oauth_consumer_key!,
        kind: "request",
        callback,
      });
      response.writeHead(200, { "content-type": "application/x-www-form-urlencoded" });
      return void response.end(
        new URLSearchParams({
          oauth_token: token,
          oauth_token_secret: secret,
          oauth_callback_confirmed: "true",
        }).toString(),
      );
    }
    if (method === "GET" && url.pathname === "/v2/oauth/authorize") {
      const token = this.tokens.get(url.searchParams.get("oauth_token") ?? "");
      if (token?.kind !== "request" || !token.callback || !this.approvingUserId) {
        return refuse(400, "unknown request token");
      }
      token.userId = this.approvingUserId;
      token.verifier = randomBytes(8).toString("hex");
      const target = new URL(token.callback);
      target.searchParams.set("oauth_token", url.searchParams.get("oauth_token")!);
      target.searchParams.set("oauth_verifier", token.verifier);
      entry.status = 302;
      response.writeHead(302, { location: target.toString() });
      return void response.end();
    }
    if (method === "POST" && url.pathname === "/v2/oauth/access_token") {
      const auth = this.authenticate(method, url, headers, formParams, "request");
      if (!auth.ok) return refuse(401, auth.reason);
      const requestToken = this.tokens.get(auth.params.oauth_token!)!;
      const verifier = Object.fromEntries(formParams).oauth_verifier ?? auth.params.oauth_verifier;
      if (!requestToken.verifier || verifier !== requestToken.verifier) {
        return refuse(401, "wrong verifier");
      }
      this.tokens.delete(auth.params.oauth_token!);
      const token = `at_${randomUUID()}`;
      const secret = randomBytes(16).toString("hex");
      this.addAccessToken(token, secret, requestToken.userId, requestToken.consumerKey);
      response.writeHead(200, { "content-type": "application/x-www-form-urlencoded" });
      return void response.end(
        new URLSearchParams({
          oauth_token: token,
          oauth_token_secret: secret,
          expiration_date: "2027-02-23T00:00:00Z",
        }).toString(),
      );
    }

    // Everything else needs an access token or an API token.
    let userId: string | undefined;
    if (scheme === "bearer") userId = this.apiTokens.get(headers.authorization!.slice(7).trim());
    else if (scheme === "oauth") {
      const auth = this.authenticate(method, url, headers, formParams, "access");
      if (auth.ok) userId = auth.userId;
    }
    if (!userId) return refuse(401, "Not authorized");
    const injected = this.failures.take(url.pathname);
    if (injected) return reply(injected, { id: 5000, message: "injected failure", type: "error" });
    const user = this.users.find((candidate) => candidate.id === userId);
    const organisations = this.organisations.filter((organisation) => organisation.members.includes(userId!));
    const route = url.pathname;
    if (method === "GET" && route === "/v2/self") {
      return reply(200, {
        id: userId,
        email: user?.email,
        name: user?.name,
        creationDate: 1_700_000_000_000,
        lang: "EN",
      });
    }
    if (method === "GET" && route === "/v2/summary") {
      return reply(200, {
        user: { id: userId, email: user?.email, name: user?.name },
        organisations: organisations.map(({ id, name }) => ({
          id,
          name,
          role: "ADMIN",
          applications: [],
          addons: [],
        })),
      });
    }
    const orgRoute = /^\/v2\/organisations\/([^/]+)(?:\/(applications|addons))?$/.exec(route);
    if (method === "GET" && orgRoute) {
      const organisation = organisations.find((candidate) => candidate.id === orgRoute[1]);
      if (!organisation) return reply(404, { id: 4040, message: "organisation not found", type: "error" });
      if (!orgRoute[2]) return reply(200, { id: organisation.id, name: organisation.name });
      return reply(200, orgRoute[2] === "applications" ? organisation.applications : organisation.addons);
    }
    return reply(404, { id: 4040, message: `no route ${method} ${route}`, type: "error" });
  }
}

export async function startCleverCloudFake(): Promise<CleverCloudFake> {
  return new CleverCloudFake().start();
}
