import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FailureQueue, type FakeServer, listen, lowerCaseHeaders, readBody, sendJson } from "./http-server";
import {
  actionAllowed,
  answerAction,
  type FakeConsumptionLine,
  type FakeOutscaleAccount,
  type OutscaleConsumption,
} from "./outscale-actions";
import {
  type OutscaleResource,
  OutscaleStore,
  type ResourceKind,
  type SeedOptions,
} from "./outscale-resources";
import { parseAmzDate, parseSigV4Authorization, sigV4Problem } from "./sign-check";

export type { FakeConsumptionLine, FakeOutscaleAccount } from "./outscale-actions";
export type { OutscaleResource, ResourceKind, SeedOptions } from "./outscale-resources";

export interface FakeOutscaleRequest {
  action: string;
  accessKey?: string;
  status: number;
  /** OUTSCALE's error code, for refusals. */
  code?: string;
  /** Epoch ms at which the request arrived (`at` is the same value). */
  time: number;
  at: number;
  /** The caller's port: tells whether a request came through a test proxy. */
  remotePort?: number;
}

export interface OutscaleFakeOptions {
  region?: string;
  accounts: FakeOutscaleAccount[];
  /** How long a key stays locked after four bad signatures in a row (OUTSCALE: 1 minute, then more). */
  lockMs?: number;
  /** The server's clock (epoch ms), to test skew and lock expiry. */
  now?: () => number;
  /** Seed of the resource generator. */
  seed?: number;
}

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const LOCK_AFTER_BAD_SIGNATURES = 4;
const DEFAULT_CODES: Record<number, { code: string; type: string }> = {
  429: { code: "24", type: "TooManyRequests" },
  503: { code: "6", type: "ServiceUnavailable" },
  500: { code: "2000", type: "InternalError" },
};

/**
 * OUTSCALE's API gateway, as far as the clients use it: `POST /api/v1/{Action}` (or
 * `/{region}/api/v1/{Action}`) with JSON, SigV4 (AWS4 or OSC4) checked against each account's
 * secret and the fake's region, the 5-minute clock window, the lock after four bad signatures in a
 * row, narrow policies, OUTSCALE-shaped errors, and the inventory reads with pagination.
 */
export class OutscaleFake {
  readonly region: string;
  readonly accounts: FakeOutscaleAccount[];
  readonly requests: FakeOutscaleRequest[] = [];
  readonly failures = new FailureQueue();
  readonly store: OutscaleStore;
  readonly consumption = new Map<string, OutscaleConsumption>();
  private readonly badSignatures = new Map<string, number>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly lockMs: number;
  private readonly now: () => number;
  private server?: FakeServer;

  constructor(options: OutscaleFakeOptions) {
    this.region = options.region ?? "eu-west-2";
    this.accounts = options.accounts;
    this.lockMs = options.lockMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.store = new OutscaleStore(this.region, options.seed);
  }

  get url(): string {
    return this.server!.url;
  }

  get port(): number {
    return this.server!.port;
  }

  /**
   * The value for OUTSCALE_API_URL_TEMPLATE: every region's address lands here, and, as with the
   * real gateway, a key used for another region than the fake's is refused like a wrong key.
   */
  get urlTemplate(): string {
    return `${this.server!.url}/{region}/api/v1`;
  }

  async start(): Promise<this> {
    this.server = await listen((request, response) => void this.handle(request, response));
    return this;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  // ---------- test controls ----------

  /** The next `count` authenticated requests (of `action`, if given) fail with `status`. */
  failNext(status: number, count = 1, options: { action?: string; code?: string } = {}): void {
    this.failures.failNext(status, count, options.action, options.code);
  }

  /** Every request of `action` fails with `status` and `code` until `failures.reset()`. */
  failAction(action: string, status: number, code?: string): void {
    this.failures.failAlways(action, status, code);
  }

  setLatency(ms: number): void {
    this.failures.latencyMs = ms;
  }

  /** Forgets requests, failures, latency, bad-signature counts and locks (resources stay). */
  reset(): void {
    this.requests.length = 0;
    this.failures.reset();
    this.badSignatures.clear();
    this.lockedUntil.clear();
  }

  attempts(action: string, accessKey?: string): number {
    return this.requests.filter(
      (entry) => entry.action === action && (!accessKey || entry.accessKey === accessKey),
    ).length;
  }

  seed(accountId: string, kind: ResourceKind, count: number, options?: SeedOptions): OutscaleResource[] {
    return this.store.seed(accountId, kind, count, options);
  }

  /** Adds one resource; a missing id is generated. */
  addResource(accountId: string, kind: ResourceKind, resource: OutscaleResource = {}): OutscaleResource {
    return this.store.add(accountId, kind, { ...this.store.generate(accountId, kind), ...resource });
  }

  removeResource(accountId: string, kind: ResourceKind, id: string): boolean {
    return this.store.remove(accountId, kind, id);
  }

  updateResource(
    accountId: string,
    kind: ResourceKind,
    id: string,
    patch: OutscaleResource,
  ): OutscaleResource {
    return this.store.update(accountId, kind, id, patch);
  }

  /** The daily consumption lines ReadConsumptionAccount sums for `accountId`. */
  setConsumption(accountId: string, lines: FakeConsumptionLine[], currency = "EUR"): void {
    this.consumption.set(accountId, { currency, lines });
  }

  // ---------- the gateway ----------

  private error(response: ServerResponse, status: number, code: string, type: string, details: string) {
    sendJson(response, status, {
      Errors: [{ Code: code, Type: type, Details: details }],
      ResponseContext: { RequestId: randomUUID() },
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrived = this.now();
    const remotePort = request.socket.remotePort;
    const body = await readBody(request);
    const url = new URL(request.url ?? "/", `http://${request.headers.host ?? "fake"}`);
    const route = /^(?:\/([a-z0-9-]+))?\/api\/v1\/(\w+)$/.exec(url.pathname);
    const action = route?.[2] ?? "";
    const headers = lowerCaseHeaders(request);
    const auth = parseSigV4Authorization(headers.authorization);
    const refuse = (status: number, code: string, type: string, details: string) => {
      this.log(action, auth?.accessKey, status, arrived, remotePort, code);
      this.error(response, status, code, type, details);
    };
    await this.failures.delay();
    if (request.method !== "POST" || !route) return refuse(404, "4000", "InvalidAction", "unknown route");
    const account = this.accounts.find((candidate) => candidate.accessKey === auth?.accessKey);
    // Another region's endpoint does not know this region's keys.
    if (!auth || !account || (route[1] && route[1] !== this.region)) {
      return refuse(401, "1", "AccessDenied", "Authentication failed");
    }
    if ((this.lockedUntil.get(account.accessKey) ?? 0) > this.now()) {
      return refuse(401, "13", "AccessDenied", "The access key is temporarily locked");
    }
    const requestTime = parseAmzDate(headers[auth.flavour.dateHeader]);
    if (requestTime === undefined || Math.abs(this.now() - requestTime) > CLOCK_SKEW_MS) {
      return refuse(401, "1", "AccessDenied", "Request date is outside the 5-minute window");
    }
    const problem =
      auth.service !== "api"
        ? "the service must be api"
        : auth.region !== this.region
          ? "the credential scope names another region"
          : sigV4Problem(auth, { method: "POST", url, headers, body }, account.secretKey);
    if (problem) {
      const bad = (this.badSignatures.get(account.accessKey) ?? 0) + 1;
      this.badSignatures.set(account.accessKey, bad);
      if (bad >= LOCK_AFTER_BAD_SIGNATURES) {
        this.lockedUntil.set(account.accessKey, this.now() + this.lockMs);
        this.badSignatures.delete(account.accessKey);
      }
      return refuse(401, "1", "AccessDenied", `Authentication failed (${problem})`);
    }
    this.badSignatures.delete(account.accessKey);
    const injected = this.failures.takeFailure(action);
    if (injected) {
      const known = DEFAULT_CODES[injected.status] ?? { code: "2000", type: "InternalError" };
      return refuse(injected.status, injected.code ?? known.code, known.type, "injected failure");
    }
    if (!actionAllowed(account, action)) {
      return refuse(401, "4", "AccessDenied", `The policy does not allow api:${action}`);
    }
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (typeof input !== "object" || input === null || Array.isArray(input))
        throw new Error("not an object");
    } catch {
      return refuse(400, "4019", "InvalidParameterValue", "the body must be a JSON object");
    }
    const outcome = answerAction(this.store, account, this.consumption.get(account.accountId), action, input);
    if (!outcome) return refuse(400, "4118", "OperationNotSupported", `${action} is not served by the fake`);
    if (!outcome.ok) return refuse(outcome.status, outcome.code, outcome.type, outcome.details);
    this.log(action, account.accessKey, 200, arrived, remotePort);
    sendJson(response, 200, { ...outcome.body, ResponseContext: { RequestId: randomUUID() } });
  }

  private log(
    action: string,
    accessKey: string | undefined,
    status: number,
    time: number,
    remotePort: number | undefined,
    code?: string,
  ) {
    this.requests.push({ action, accessKey, status, code, time, at: time, remotePort });
  }
}

export async function startOutscaleFake(options: OutscaleFakeOptions): Promise<OutscaleFake> {
  return new OutscaleFake(options).start();
}
