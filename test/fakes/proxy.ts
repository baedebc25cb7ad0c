import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";

/**
 * An HTTP proxy on loopback that requires basic auth (407 otherwise), tunnels CONNECT and
 * forwards absolute-form requests, and counts what went through it.
 */
export class TestProxy {
  connects = 0;
  forwarded = 0;
  rejected = 0;
  /** Local ports of the proxy's upstream connections: a request the target saw from one of these came through here. */
  readonly upstreamPorts = new Set<number>();
  private server?: Server;

  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  /** Requests that went through: tunnels opened plus plain requests forwarded. */
  get requests(): number {
    return this.connects + this.forwarded;
  }

  reset(): void {
    this.connects = 0;
    this.forwarded = 0;
    this.rejected = 0;
    this.upstreamPorts.clear();
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** The proxy URL with its credentials, as a credential's `proxy` setting holds it. */
  get url(): string {
    return `http://${encodeURIComponent(this.username)}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }

  private authorised(header: string | undefined): boolean {
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString("base64")}`;
    return header === expected;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      if (!this.authorised(request.headers["proxy-authorization"])) {
        this.rejected++;
        response.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' });
        return response.end();
      }
      this.forwarded++;
      const target = new URL(request.url ?? "/");
      const { "proxy-authorization": _auth, ...headers } = request.headers;
      const upstream = httpRequest(target, { method: request.method, headers, agent: false }, (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      });
      upstream.on("socket", (socket) =>
        socket.on("connect", () => this.upstreamPorts.add(socket.localPort!)),
      );
      upstream.on("error", () => {
        if (!response.headersSent) response.writeHead(502).end();
        else response.destroy();
      });
      request.pipe(upstream);
    });
    this.server.on("connect", (request, clientSocket, head) => {
      if (!this.authorised(request.headers["proxy-authorization"])) {
        this.rejected++;
        clientSocket.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
        );
        return;
      }
      this.connects++;
      const target = request.url ?? "";
      const separator = target.lastIndexOf(":");
      const host = target.slice(0, separator).replace(/^\[|\]$/g, "");
      const upstream = connect(Number(target.slice(separator + 1)), host, () => {
        this.upstreamPorts.add(upstream.localPort!);
        clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });
      upstream.on("error", () => clientSocket.destroy());
      clientSocket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

export function startTestProxy(options: { username: string; password: string }): Promise<TestProxy> {
  return new TestProxy(options.username, options.password).start();
}
