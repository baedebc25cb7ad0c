import { createServer } from "node:net";
import { EmulatorError } from "./errors";

/** A port nothing listens on right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Rejects with a one-line EmulatorError when something already listens on the port. `host` is
 * where we will listen (the local API uses 127.0.0.1); a listener on 0.0.0.0 or :: is caught too.
 */
export function assertPortFree(port: number, what: string, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new EmulatorError(`port ${port} is busy (${what}): stop what uses it or set PORT to another port`)
          : new EmulatorError(`cannot listen on port ${port} (${what}): ${error.message}`),
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
