import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { isPublicRoute } from "../shared/http/public-routes";
import type { LocalTokens } from "./tokens";

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

// API Gateway's own payload limit; the handler enforces the API's 64 KiB on top.
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const TEXT_TYPES = /^(application\/([a-z.+-]*\+)?json|text\/|application\/x-www-form-urlencoded)/i;

async function readBody(request: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function lambdaContext(requestId: string): Context {
  return {
    awsRequestId: requestId,
    functionName: "local-api",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:local:000000000000:function:local-api",
    memoryLimitInMB: "512",
    logGroupName: "local",
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An API Gateway HTTP API (payload 2.0) event from a Node request, as the gateway builds it. */
function toEvent(request: IncomingMessage, body: Buffer, claims: Record<string, unknown> | undefined) {
  const url = new URL(request.url ?? "/", "http://localhost");
  // As API Gateway does; here the scheme is plain http.
  const headers: Record<string, string> = { "x-forwarded-proto": "http" };
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const requestId = randomUUID();
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    body: body.length ? body.toString(isText ? "utf8" : "base64") : undefined,
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2;
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>) {
  response.writeHead(status, headers);
  response.end(body);
}

const gatewayProblem = (status: number, code: string, detail: string) =>
  JSON.stringify({
    type: `https://errors.credential-vault.dev/${code}`,
    title: code,
    status,
    code,
    detail,
    requestId: "gateway",
  });

/** Serves the API handler over HTTP on loopback, checking tokens as the JWT authorizer would. */
export async function startLocalApi(options: {
  port: number;
  host?: string;
  handler: ApiHandler;
  tokens: LocalTokens;
}): Promise<{ url: string; port: number; server: Server; stop(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      if (body === "too-large") {
        send(response, 413, gatewayProblem(413, "payload_too_large", "the gateway accepts at most 10 MB"), {
          "content-type": "application/problem+json",
        });
        return;
      }
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      let claims: Record<string, unknown> | undefined;
      if (!isPublicRoute(request.method ?? "GET", path)) {
        claims = await options.tokens.verify(request.headers.authorization);
        if (!claims) {
          send(response, 401, gatewayProblem(401, "unauthorized", "a valid bearer token is required"), {
            "content-type": "application/problem+json",
            "www-authenticate": "Bearer",
          });
          return;
        }
      }
      const event = toEvent(request, body, claims);
      const result = await options.handler(event, lambdaContext(event.requestContext.requestId));
      const headers = Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
      );
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : (result.body ?? "");
      response.writeHead(result.statusCode ?? 200, headers);
      response.end(payload);
    } catch {
      send(response, 500, gatewayProblem(500, "internal_error", "the local gateway failed"), {
        "content-type": "application/problem+json",
      });
    }
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
