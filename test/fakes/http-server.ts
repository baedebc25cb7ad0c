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

export interface InjectedFailure {
  status: number;
  /** A provider error code to answer with, when the provider has them. */
  code?: string;
}

/**
 * Failures injected for the next N requests (optionally only those of one route or action), or
 * for every request of one route or action until reset; and a latency added to every answer.
 */
export class FailureQueue {
  private queue: Array<InjectedFailure & { remaining: number; match?: string }> = [];
  private readonly permanent = new Map<string, InjectedFailure>();
  latencyMs = 0;

  failNext(status: number, count = 1, match?: string, code?: string): void {
    this.queue.push({ status, code, remaining: count, match });
  }

  failAlways(match: string, status: number, code?: string): void {
    this.permanent.set(match, { status, code });
  }

  /** Forgets pending and permanent failures and the latency (between tests). */
  reset(): void {
    this.queue = [];
    this.permanent.clear();
    this.latencyMs = 0;
  }

  /** The failure this request of `route` must answer with, if any (consumes one queued failure). */
  takeFailure(route: string): InjectedFailure | undefined {
    const always = this.permanent.get(route);
    if (always) return always;
    const entry = this.queue.find((candidate) => !candidate.match || candidate.match === route);
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) this.queue.splice(this.queue.indexOf(entry), 1);
    return { status: entry.status, code: entry.code };
  }

  /** The status only (kept for callers that need no code). */
  take(route: string): number | undefined {
    return this.takeFailure(route)?.status;
  }

  async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}
