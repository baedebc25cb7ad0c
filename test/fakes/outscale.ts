import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FailureQueue, type FakeServer, listen, lowerCaseHeaders, readBody, sendJson } from "./http-server";
import { parseAmzDate, parseSigV4Authorization, sigV4SignatureMatches } from "./sign-check";

export interface FakeOutscaleAccount {
  accountId: string;
  accessKey: string;
  secretKey: string;
  email: string;
  /** `no-read-accounts`: a narrow sub-user; `billing-only`: only ReadConsumptionAccount. */
  policy?: "full" | "no-read-accounts" | "billing-only";
}

export interface FakeOutscaleRequest {
  action: string;
  /** The caller's port: tells whether a request came through a test proxy. */
  remotePort?: number;
  accessKey?: string;
  status: number;
  at: number;
}

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const LOCK_AFTER_BAD_SIGNATURES = 4;
const THROTTLE_CODES: Record<number, string> = { 429: "24", 503: "6", 500: "2000" };

/**
 * OUTSCALE's API gateway, as far as the clients use it: `POST /api/v1/{Action}` with JSON, SigV4
 * (AWS4 or OSC4) checked against each account's secret and the fake's region, the 5-minute clock
 * window, the lock after repeated bad signatures, and OUTSCALE-shaped error bodies.
 */
export class OutscaleFake {
  readonly requests: FakeOutscaleRequest[] = [];
  readonly failures = new FailureQueue();
  private readonly badSignatures = new Map<string, number>();
  private server?: FakeServer;

  constructor(
    readonly region: string,
    readonly accounts: FakeOutscaleAccount[],
  ) {}

  get url(): string {
    return this.server!.url;
  }

  /**
   * The value for OUTSCALE_API_URL_TEMPLATE: every region's address lands here, and, as with the
   * real gateway, a key signed for another region than the fake's is refused like a wrong key.
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

  attempts(action: string, accessKey?: string): number {
    return this.requests.filter(
      (entry) => entry.action === action && (!accessKey || entry.accessKey === accessKey),
    ).length;
  }

  private error(response: ServerResponse, status: number, code: string, type: string, details: string) {
    sendJson(response, status, {
      Errors: [{ Code: code, Type: type, Details: details }],
      ResponseContext: { RequestId: randomUUID() },
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const remotePort = request.socket.remotePort;
    const body = await readBody(request);
    const url = new URL(request.url ?? "/", "http://fake");
    const action = /^(?:\/[a-z0-9-]+)?\/api\/v1\/(\w+)$/.exec(url.pathname)?.[1] ?? "";
    const headers = lowerCaseHeaders(request);
    const auth = parseSigV4Authorization(headers.authorization);
    const log = (status: number) =>
      this.requests.push({ action, accessKey: auth?.accessKey, status, at: Date.now(), remotePort });
    await this.failures.delay();
    if (request.method !== "POST" || !action) {
      log(404);
      return this.error(response, 404, "4000", "InvalidAction", "unknown route");
    }
    const account = this.accounts.find((candidate) => candidate.accessKey === auth?.accessKey);
    if (!auth || !account) {
      log(401);
      return this.error(response, 401, "1", "AccessDenied", "Authentication failed");
    }
    if ((this.badSignatures.get(account.accessKey) ?? 0) >= LOCK_AFTER_BAD_SIGNATURES) {
      log(401);
      return this.error(response, 401, "13", "AccessDenied", "The access key is temporarily locked");
    }
    const requestTime = parseAmzDate(headers[auth.flavour.dateHeader]);
    if (requestTime === undefined || Math.abs(Date.now() - requestTime) > CLOCK_SKEW_MS) {
      log(401);
      return this.error(response, 401, "1", "AccessDenied", "Request date is outside the 5-minute window");
    }
    const signedOk =
      auth.service === "api" &&
      auth.region === this.region &&
      auth.signedHeaders.includes("host") &&
      sigV4SignatureMatches(auth, { method: "POST", url, headers, body }, account.secretKey);
    if (!signedOk) {
      this.badSignatures.set(account.accessKey, (this.badSignatures.get(account.accessKey) ?? 0) + 1);
      log(401);
      return this.error(response, 401, "1", "AccessDenied", "Authentication failed");
    }
    this.badSignatures.delete(account.accessKey);
    const injected = this.failures.take(action);
    if (injected) {
      log(injected);
      return this.error(
        response,
        injected,
        THROTTLE_CODES[injected] ?? "2000",
        "Throttling",
        "injected failure",
      );
    }
    if (!this.allowed(account, action)) {
      log(401);
      return this.error(response, 401, "4", "AccessDenied", `The policy does not allow ${action}`);
    }
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      log(400);
      return this.error(response, 400, "4019", "InvalidParameterValue", "body is not JSON");
    }
    const reply = this.answer(account, action, input);
    if (!reply) {
      log(400);
      return this.error(
        response,
        400,
        "4118",
        "OperationNotSupported",
        `${action} is not served by the fake`,
      );
    }
    log(200);
    sendJson(response, 200, { ...reply, ResponseContext: { RequestId: randomUUID() } });
  }

  private allowed(account: FakeOutscaleAccount, action: string): boolean {
    if (account.policy === "billing-only") return action === "ReadConsumptionAccount";
    if (account.policy === "no-read-accounts") return action !== "ReadAccounts";
    return true;
  }

  /** Bodies shaped as OUTSCALE's spec says (checked by the conformance test). */
  protected answer(
    account: FakeOutscaleAccount,
    action: string,
    _input: Record<string, unknown>,
  ): Record<string, unknown> | undefined {
    switch (action) {
      case "ReadAccounts":
        return {
          Accounts: [
            {
              AccountId: account.accountId,
              Email: account.email,
              CompanyName: "Fake Company",
              CustomerId: "12345",
            },
          ],
        };
      case "ReadAccessKeys":
        return {
          AccessKeys: [
            {
              AccessKeyId: account.accessKey,
              State: "ACTIVE",
              CreationDate: "2024-01-15T10:00:00.000+0000",
              ExpirationDate: "2027-01-15T10:00:00.000+0000",
              LastModificationDate: "2024-01-15T10:00:00.000+0000",
            },
          ],
        };
      default:
        return undefined;
    }
  }
}

export async function startOutscaleFake(options: {
  region?: string;
  accounts: FakeOutscaleAccount[];
}): Promise<OutscaleFake> {
  return new OutscaleFake(options.region ?? "eu-west-2", options.accounts).start();
}
