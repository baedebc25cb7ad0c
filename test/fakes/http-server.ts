import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

export function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name.toLowerCase(),
      Array.isArray(value) ? value.join(",") : String(value),
    ]),
  );
}

/** A plain HTTP server on a free loopback port. */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<FakeServer & { server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Failures injected for the next N requests (optionally of one route or action). */
export class FailureQueue {
  private queue: Array<{ status: number; remaining: number; match?: string }> = [];
  latencyMs = 0;

  failNext(status: number, count = 1, match?: string): void {
    this.queue.push({ status, remaining: count, match });
  }

  /** Forgets pending failures and latency (between tests). */
  reset(): void {
    this.queue = [];
    this.latencyMs = 0;
  }

  take(route: string): number | undefined {
    const entry = this.queue.find((candidate) => !candidate.match || candidate.match === route);
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.queue.splice(this.queue.indexOf(entry), 1);
    return entry.status;
  }

  async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}
