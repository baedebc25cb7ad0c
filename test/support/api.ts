import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { startLocalApi } from "../../local/server";
import { LocalTokens } from "../../local/tokens";
import { ensureTable } from "../../shared/adapters/dynamodb/table";
import { parseConfig } from "../../shared/config";
import { createApiHandler } from "../../shared/http/api-handler";
import type { Role } from "../../shared/http/auth";
import { createLogger, setLogSink } from "../../shared/logging";
import { dynamoDbClient } from "../../shared/wiring";
import { wireWorkerServices } from "../../shared/wiring-worker";

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely
  json: any;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * The real API handler on the local HTTP server, against DynamoDB Local, with a fresh table and
 * key per test file. Every response and log line is kept so tests can scan them for secrets.
 */
export async function startTestApi(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "vault-test-"));
  const tableName = `vault-${Math.random().toString(36).slice(2, 10)}`;
  const config = parseConfig({
    DEPLOY_MODE: "local",
    TABLE_NAME: tableName,
    LOCAL_KEY_FILE: join(dataDir, "local-master.key"),
    DYNAMODB_ENDPOINT: inject("dynamodbEndpoint"),
    LOG_LEVEL: "debug",
    // Fast retries: the backoff's shape is unit-tested; here only the count matters.
    PROVIDER_RETRY_BASE_MS: "5",
    PROVIDER_TIMEOUT_MS: "1500",
    ...env,
  });
  const logLines: string[] = [];
  setLogSink((line) => logLines.push(line));
  const dynamodb = dynamoDbClient(config);
  await ensureTable(dynamodb, tableName);
  const tokens = LocalTokens.open(join(dataDir, "local-jwt.key"));
  const services = wireWorkerServices(config);
  const handler = createApiHandler({
    services,
    logger: createLogger("debug", { service: "api" }),
    claimNames: { tenant: config.TENANT_CLAIM, roles: config.ROLES_CLAIM },
  });
  const server = await startLocalApi({ port: 0, handler, tokens });
  const responses: string[] = [];
  const defaultTokens = new Map<string, string>();

  async function token(tenant = "acme", role: Role = "admin", subject?: string): Promise<string> {
    const key = `${tenant}/${role}/${subject ?? ""}`;
    if (!defaultTokens.has(key))
      defaultTokens.set(key, await tokens.issue({ tenant, roles: [role], subject }));
    return defaultTokens.get(key)!;
  }

  async function request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.token === undefined ? await token() : options.token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const reply = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await reply.text();
    responses.push(`${[...reply.headers].map(([name, value]) => `${name}: ${value}`).join("\n")}\n${text}`);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: reply.status, headers: reply.headers, text, json };
  }

  return {
    url: server.url,
    config,
    dynamodb,
    tableName,
    services,
    tokens,
    token,
    request,
    logLines,
    responses,
    async stop() {
      await server.stop();
      dynamodb.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
