import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { EmulatorError } from "./errors";
import { findFreePort } from "./ports";
import { adoptChild, type RunningEmulator, sleep, stopChild } from "./process";

const START_TIMEOUT_MS = 30_000;

/** DynamoDB Local accepts any credentials; these make that explicit. */
export function makeDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

/**
 * AWS's DynamoDB Local (transactions included) from the jar shipped in an npm package.
 * In memory by default; `dbPath` persists it. `-sharedDb`: one database whatever the region or key.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dbPath?: string } = {},
): Promise<RunningEmulator> {
  const port = options.port ?? (await findFreePort());
  const jars = jarDirectory();
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  // DynamoDB Local writes a metadata file into its working directory: keep it out of the repo,
  // and remove the scratch one on stop.
  const scratch = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), "dynamodb-local-"));
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(jars, "DynamoDBLocal_lib")}`,
      "-jar",
      join(jars, "DynamoDBLocal.jar"),
      ...(options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"]),
      "-sharedDb",
      // It would otherwise try to send usage telemetry to AWS (no network in CI, none wanted).
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    { cwd: options.dbPath ?? scratch, stdio: ["ignore", "pipe", "pipe"] },
  );
  const watch = adoptChild(child);
  const stop = async () => {
    await stopChild(child);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  // One attempt per probe: the SDK's retry backoff on "connection refused" doubled the start time.
  const probe = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      const ended = watch.ended();
      if (ended?.includes("ENOENT")) {
        throw new EmulatorError("DynamoDB Local could not start: no java on PATH (Java 17+ is needed)");
      }
      if (ended) throw new EmulatorError(`DynamoDB Local ${ended} during start:\n${watch.tail()}`);
      // A failed bind (port taken) leaves the JVM running, so it would never exit: fail now.
      if (watch.tail().includes('Exception in thread "main"')) {
        throw new EmulatorError(`DynamoDB Local failed to start on port ${port}:\n${watch.tail()}`);
      }
      try {
        await probe.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(2000) });
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new EmulatorError(
            `DynamoDB Local did not answer on port ${port} within ${START_TIMEOUT_MS / 1000} s:\n${watch.tail()}`,
          );
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
  return { endpoint, port, stop };
}
