import { describe, expect, it } from "vitest";
import { OutboundHostPolicy } from "../../../shared/providers/http/host-policy";
import { sendOutbound } from "../../../shared/providers/http/outbound";
import { AccountRateLimiter } from "../../../shared/providers/http/rate-limit";
import { isPublicAddress } from "../../../shared/providers/http/ssrf";
import { listen } from "../../fakes/http-server";

describe("retries", () => {
  async function serverAnswering(statuses: number[]) {
    const seen: number[] = [];
    const server = await listen((_request, response) => {
      const status = statuses[seen.length] ?? 200;
      seen.push(status);
      response.writeHead(status, status === 429 ? { "retry-after": "0" } : {});
      response.end("{}");
    });
    return { server, seen };
  }
  const options = (sleeps: number[]) => ({
    timeoutMs: 500,
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, jitterMs: 50 },
    limiter: new AccountRateLimiter(1000, 4),
    publicAddressesOnly: false,
    sleep: async (ms: number) => void sleeps.push(ms),
  });

  it("retries 500 and 503 with exponential backoff plus jitter, and 429 after Retry-After", async () => {
    const { server, seen } = await serverAnswering([500, 503, 429]);
    const sleeps: number[] = [];
    const reply = await sendOutbound({ method: "GET", url: server.url, headers: {} }, options(sleeps));
    expect(reply).toMatchObject({ status: 200, attempts: 4 });
    expect(seen).toEqual([500, 503, 429, 200]);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThan(150);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    expect(sleeps[1]).toBeLessThan(250);
    expect(sleeps[2]).toBe(0);
    await server.stop();
  });

  it("never retries a 401 or a 403, and stops after the retry budget", async () => {
    for (const status of [401, 403, 400]) {
      const { server, seen } = await serverAnswering([status]);
      const reply = await sendOutbound({ method: "GET", url: server.url, headers: {} }, options([]));
      expect(reply.status).toBe(status);
      expect(seen).toHaveLength(1);
      await server.stop();
    }
    const { server, seen } = await serverAnswering([503, 503, 503, 503, 503, 503]);
    expect((await sendOutbound({ method: "GET", url: server.url, headers: {} }, options([]))).status).toBe(
      503,
    );
    expect(seen).toHaveLength(4);
    await server.stop();
  });
});

describe("per-account pacing", () => {
  it("holds an account to its rate", async () => {
    const limiter = new AccountRateLimiter(20, 10);
    const started = Date.now();
    for (let index = 0; index < 30; index++) (await limiter.acquire())();
    // 20 at once from the full bucket, then 10 more at 20 per second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it("caps the requests in flight", async () => {
    const limiter = new AccountRateLimiter(1000, 2);
    const first = await limiter.acquire();
    await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then(() => {
      third = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    first();
    await waiting;
    expect(third).toBe(true);
  });
});

describe("SSRF guard", () => {
  const deployed = new OutboundHostPolicy({
    allowPrivate: false,
    allowedHosts: ["billing-proxy.example.org"],
    resolve: async (host) =>
      ({
        "internal.example.com": ["10.1.2.3"],
        "api.clever-cloud.com": ["185.42.117.1"],
        "proxy.example.net": ["203.0.113.7"],
        "billing-proxy.example.org": ["198.51.100.2"],
      })[host] ?? Promise.reject(new Error("ENOTFOUND")),
  });

  it("refuses the metadata address, private ranges, loopback names and private resolutions", async () => {
    expect(await deployed.check("http://169.254.169.254", "proxy")).toBe("must use https://");
    expect(await deployed.check("https://169.254.169.254", "proxy")).toMatch(/not a public address/);
    expect(await deployed.check("https://10.0.0.1", "proxy")).toMatch(/10\.0\.0\.1.*not a public address/);
    expect(await deployed.check("https://localhost", "proxy")).toMatch(
      /not a public address|cannot be resolved/,
    );
    expect(await deployed.check("https://internal.example.com:3128", "proxy")).toMatch(
      /resolves to 10\.1\.2\.3/,
    );
    expect(await deployed.check("https://[::1]:8443", "proxy")).toMatch(/not a public address/);
  });

  it("lets official Clever Cloud hosts, allowlisted hosts and public proxies through", async () => {
    expect(await deployed.check("https://api.clever-cloud.com", "api-host")).toBeUndefined();
    expect(await deployed.check("https://proxy.example.net:3128", "proxy")).toBeUndefined();
    expect(await deployed.check("https://evil.example.com", "api-host")).toMatch(
      /official Clever Cloud host/,
    );
    expect(await deployed.check("https://billing-proxy.example.org", "api-host")).toBeUndefined();
  });

  it("allows loopback in local mode so the fakes work", async () => {
    const local = new OutboundHostPolicy({ allowPrivate: true, allowedHosts: [] });
    expect(await local.check("http://127.0.0.1:8080", "api-host")).toBeUndefined();
  });

  it("classifies addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.2.3.4",
      "172.20.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "::1",
      "fd00::1",
      "fe80::1",
      "0.0.0.0",
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
    for (const address of ["185.42.117.1", "8.8.8.8", "2001:4860:4860::8888"])
      expect(isPublicAddress(address)).toBe(true);
  });
});
