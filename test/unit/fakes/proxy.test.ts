import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ProxyAgent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestProxy, type TestProxy } from "../../fakes/proxy";

let target: Server;
let targetUrl: string;
let proxy: TestProxy;
const seenPorts: number[] = [];

/** A plain request in absolute form, as an HTTP proxy client sends it. */
function viaProxy(url: string, proxyAuthorization?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: "127.0.0.1",
        port: proxy.port,
        path: url,
        headers: proxyAuthorization ? { "proxy-authorization": proxyAuthorization } : {},
      },
      (response) => {
        let body = "";
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

beforeAll(async () => {
  target = createServer((request, response) => {
    seenPorts.push(request.socket.remotePort!);
    response.end(`hello ${request.url}`);
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  proxy = await startTestProxy({ username: "proxy user", password: "p@ss:word" });
});
afterAll(async () => {
  await proxy.stop();
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});
beforeEach(() => {
  proxy.reset();
  seenPorts.length = 0;
});

describe("test proxy", () => {
  it("forwards an absolute-form request with the right basic auth, and counts it", async () => {
    const reply = await viaProxy(`${targetUrl}/plain?x=1`, basic("proxy user", "p@ss:word"));
    expect(reply).toEqual({ status: 200, body: "hello /plain?x=1" });
    expect(proxy.forwarded).toBe(1);
    expect(proxy.requests).toBe(1);
    expect(proxy.upstreamPorts).toContain(seenPorts[0]);
  });

  it("tunnels CONNECT for undici's ProxyAgent, with the credentials from the proxy URL", async () => {
    expect(proxy.url).toMatch(/^http:\/\/proxy%20user:p%40ss%3Aword@127\.0\.0\.1:\d+$/);
    const dispatcher = new ProxyAgent({ uri: proxy.url });
    try {
      const reply = await undiciFetch(`${targetUrl}/tunnelled`, { dispatcher });
      expect(await reply.text()).toBe("hello /tunnelled");
    } finally {
      await dispatcher.close();
    }
    expect(proxy.connects).toBe(1);
    expect(proxy.upstreamPorts).toContain(seenPorts[0]);
  });

  it("answers 407 without credentials or with wrong ones, and counts the refusals", async () => {
    expect((await viaProxy(`${targetUrl}/x`)).status).toBe(407);
    expect((await viaProxy(`${targetUrl}/x`, basic("proxy user", "wrong"))).status).toBe(407);
    const dispatcher = new ProxyAgent({ uri: proxy.url.replace("p%40ss%3Aword", "wrong") });
    try {
      await expect(undiciFetch(`${targetUrl}/x`, { dispatcher })).rejects.toThrow();
    } finally {
      await dispatcher.close();
    }
    expect(proxy.rejected).toBe(3);
    expect(proxy.requests).toBe(0);
    expect(seenPorts).toEqual([]);
  });
});
