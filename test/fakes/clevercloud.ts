import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type AuthResult, authenticateOAuth, expired } from "./clevercloud-auth";
import type {
  CleverCloudState,
  FakeCleverApiToken,
  FakeCleverConsumer,
  FakeCleverOrganisation,
  FakeCleverToken,
  FakeCleverUser,
} from "./clevercloud-model";
import { answerRead } from "./clevercloud-routes";
import { FailureQueue, type FakeServer, listen, lowerCaseHeaders, readBody, sendJson } from "./http-server";
import { parseOAuthHeader } from "./sign-check";

export * from "./clevercloud-model";

export interface FakeCleverRequest {
  method: string;
  path: string;
  scheme: "oauth" | "bearer" | "none";
  signatureMethod?: string;
  consumerKey?: string;
  status: number;
  time: number;
}

export interface CleverCloudFakeOptions {
  consumers?: FakeCleverConsumer[];
  tokens?: FakeCleverToken[];
  apiTokens?: FakeCleverApiToken[];
  users?: FakeCleverUser[];
  organisations?: FakeCleverOrganisation[];
  approvingUserId?: string;
  /** The server's clock (epoch ms). */
  now?: () => number;
}

const ACCESS_TOKEN_LIFETIME_MS = 90 * 86_400_000;

/**
 * Clever Cloud's API as the clients use it: OAuth 1.0a requests verified from RFC 5849 with the
 * consumer and token secrets it knows (PLAINTEXT, HMAC-SHA1, HMAC-SHA512; stale timestamps and
 * reused nonces refused), Bearer API tokens, the identity and organisation routes, and the
 * connect flow (request token, auto-approved authorize, access token).
 */
export class CleverCloudFake {
  readonly requests: FakeCleverRequest[] = [];
  readonly failures = new FailureQueue();
  readonly state: CleverCloudState;
  private readonly now: () => number;
  private server?: FakeServer;

  constructor(options: CleverCloudFakeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.state = {
      consumers: new Map(options.consumers?.map((consumer) => [consumer.key, consumer])),
      tokens: new Map(),
      apiTokens: new Map(options.apiTokens?.map((token) => [token.token, token])),
      users: [...(options.users ?? [])],
      organisations: [...(options.organisations ?? [])],
      nonces: new Set(),
      approvingUserId: options.approvingUserId,
    };
    for (const { token, ...rest } of options.tokens ?? []) this.addToken({ token, ...rest });
  }

  get url(): string {
    return this.server!.url;
  }

  get port(): number {
    return this.server!.port;
  }

  get users(): FakeCleverUser[] {
    return this.state.users;
  }

  get organisations(): FakeCleverOrganisation[] {
    return this.state.organisations;
  }

  /** The user who approves the connect flow's authorize step (default: the first user). */
  get approvingUserId(): string | undefined {
    return this.state.approvingUserId;
  }

  set approvingUserId(userId: string | undefined) {
    this.state.approvingUserId = userId;
  }

  async start(): Promise<this> {
    this.server = await listen((request, response) => void this.handle(request, response));
    return this;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  // ---------- test controls ----------

  addUser(user: FakeCleverUser): this {
    this.state.users.push(user);
    return this;
  }

  addConsumer(key: string, secret: string, callbackDomain?: string): this {
    this.state.consumers.set(key, { key, secret, callbackDomain });
    return this;
  }

  addToken(token: FakeCleverToken): this {
    this.state.tokens.set(token.token, {
      kind: "access",
      secret: token.secret,
      userId: token.userId,
      consumerKey: token.consumerKey,
      creationDate: token.creationDate ?? new Date(this.now()).toISOString(),
      expirationDate: token.expirationDate,
    });
    return this;
  }

  addAccessToken(token: string, secret: string, userId: string, consumerKey?: string): this {
    return this.addToken({ token, secret, userId, consumerKey });
  }

  addApiToken(token: string, userId: string, expirationDate?: string): this {
    this.state.apiTokens.set(token, { token, userId, expirationDate });
    return this;
  }

  failNext(status: number, count = 1, path?: string): void {
    this.failures.failNext(status, count, path);
  }

  setLatency(ms: number): void {
    this.failures.latencyMs = ms;
  }

  // ---------- authentication ----------

  private authenticate(
    method: string,
    url: URL,
    headers: Record<string, string>,
    formParams: Array<[string, string]>,
    tokenKind: "request" | "access" | "none",
  ): AuthResult {
    return authenticateOAuth(this.state, this.now(), method, url, headers, formParams, tokenKind);
  }

  // ---------- routes ----------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const headers = lowerCaseHeaders(request);
    const url = new URL(request.url ?? "/", `http://${headers.host ?? "127.0.0.1"}`);
    const body = await readBody(request);
    const formParams = (headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
      ? [...new URLSearchParams(body).entries()]
      : [];
    const authorization = headers.authorization ?? "";
    const scheme = /^OAuth\s/i.test(authorization)
      ? "oauth"
      : /^Bearer\s/i.test(authorization)
        ? "bearer"
        : "none";
    const oauthParams = parseOAuthHeader(authorization);
    const entry: FakeCleverRequest = {
      method,
      path: url.pathname,
      scheme,
      signatureMethod: oauthParams?.oauth_signature_method,
      consumerKey: oauthParams?.oauth_consumer_key,
      status: 200,
      time: this.now(),
    };
    this.requests.push(entry);
    const reply = (status: number, payload: unknown) => {
      entry.status = status;
      sendJson(response, status, payload);
    };
    const fail = (status: number, message: string) =>
      reply(status, { id: status === 401 ? 4001 : status * 10 + 4, message, type: "error" });
    const form = (values: Record<string, string>) => {
      entry.status = 200;
      response.writeHead(200, { "content-type": "application/x-www-form-urlencoded" });
      response.end(new URLSearchParams(values).toString());
    };
    await this.failures.delay();
    const route = `${method} ${url.pathname}`;

    if (route === "POST /v2/oauth/request_token") {
      const auth = this.authenticate(method, url, headers, formParams, "none");
      if (!auth.ok) return fail(401, auth.reason);
      const callback = Object.fromEntries(formParams).oauth_callback ?? auth.params.oauth_callback;
      const consumer = this.state.consumers.get(auth.params.oauth_consumer_key!)!;
      if (!callback) return fail(400, "oauth_callback is required");
      if (callback !== "oob" && consumer.callbackDomain) {
        const host = URL.canParse(callback) ? new URL(callback).hostname : "";
        if (host !== consumer.callbackDomain && !host.endsWith(`.${consumer.callbackDomain}`)) {
          return fail(400, "the callback does not match the consumer's domain");
        }
      }
      const token = randomUUID().replace(/-/g, "");
      const secret = randomBytes(16).toString("hex");
      this.state.tokens.set(token, {
        kind: "request",
        secret,
        userId: "",
        consumerKey: consumer.key,
        callback,
        creationDate: new Date(this.now()).toISOString(),
      });
      return form({ oauth_token: token, oauth_token_secret: secret, oauth_callback_confirmed: "true" });
    }
    if (route === "GET /v2/oauth/authorize") {
      const tokenValue = url.searchParams.get("oauth_token") ?? "";
      const token = this.state.tokens.get(tokenValue);
      const approver = this.state.approvingUserId ?? this.state.users[0]?.id;
      if (token?.kind !== "request" || !token.callback) return fail(400, "unknown request token");
      if (!approver) return fail(400, "no user to approve the request");
      token.userId = approver;
      token.verifier = randomBytes(10).toString("hex");
      if (token.callback === "oob") return form({ oauth_token: tokenValue, oauth_verifier: token.verifier });
      const target = new URL(token.callback);
      target.searchParams.set("oauth_token", tokenValue);
      target.searchParams.set("oauth_verifier", token.verifier);
      entry.status = 302;
      response.writeHead(302, { location: target.toString() });
      return void response.end();
    }
    if (route === "POST /v2/oauth/access_token") {
      const auth = this.authenticate(method, url, headers, formParams, "request");
      if (!auth.ok) return fail(401, auth.reason);
      const requestToken = this.state.tokens.get(auth.params.oauth_token!)!;
      const verifier = Object.fromEntries(formParams).oauth_verifier ?? auth.params.oauth_verifier;
      if (!requestToken.verifier || verifier !== requestToken.verifier) return fail(401, "wrong verifier");
      this.state.tokens.delete(auth.params.oauth_token!);
      const token = randomUUID().replace(/-/g, "");
      const secret = randomBytes(16).toString("hex");
      const expirationDate = new Date(this.now() + ACCESS_TOKEN_LIFETIME_MS).toISOString();
      this.addToken({
        token,
        secret,
        expirationDate,
        userId: requestToken.userId,
        consumerKey: requestToken.consumerKey,
      });
      return form({ oauth_token: token, oauth_token_secret: secret, expiration_date: expirationDate });
    }

    // Everything else needs an access token or an API token.
    let userId: string | undefined;
    let current: Record<string, unknown> = {};
    if (scheme === "bearer") {
      const apiToken = this.state.apiTokens.get(authorization.replace(/^Bearer\s+/i, "").trim());
      if (apiToken && !expired(apiToken.expirationDate, this.now())) {
        userId = apiToken.userId;
        current = {
          apiTokenId: `api_tokens_${apiToken.token.slice(-8)}`,
          expirationDate: apiToken.expirationDate,
        };
      }
    } else if (scheme === "oauth") {
      const auth = this.authenticate(method, url, headers, formParams, "access");
      if (!auth.ok) return fail(401, auth.reason);
      userId = auth.userId;
      const token = this.state.tokens.get(auth.params.oauth_token!)!;
      current = {
        token: auth.params.oauth_token,
        consumer: { key: token.consumerKey ?? auth.params.oauth_consumer_key },
        creationDate: token.creationDate,
        expirationDate: token.expirationDate ?? new Date(this.now() + ACCESS_TOKEN_LIFETIME_MS).toISOString(),
      };
    }
    if (!userId) return fail(401, "Not authorized: missing, unknown, expired or revoked credentials");
    const injected = this.failures.takeFailure(url.pathname);
    if (injected) return fail(injected.status, "injected failure");
    if (method !== "GET") return fail(404, `no route ${route}`);
    const answer = answerRead(this.state, url.pathname, userId, current);
    return reply(answer.status, answer.body);
  }
}

export async function startCleverCloudFake(options: CleverCloudFakeOptions = {}): Promise<CleverCloudFake> {
  return new CleverCloudFake(options).start();
}
