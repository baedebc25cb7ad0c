import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { EmulatorError } from "./errors";
import { findFreePort } from "./ports";
import { adoptChild, sleep, stopChild, tailOf } from "./process";

export interface RunningEmulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

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
  const storage = options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  // DynamoDB Local writes a metadata file into its working directory: keep it out of the repo.
  const cwd = options.dbPath ?? mkdtempSync(join(tmpdir(), "dynamodb-local-"));
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(jars, "DynamoDBLocal_lib")}`,
      "-jar",
      join(jars, "DynamoDBLocal.jar"),
      ...storage,
      "-sharedDb",
      "-port",
      String(port),
    ],
    { cwd, stdio: ["ignore", "pipe", "pipe"] },
  );
  adoptChild(child);
  const tail = tailOf(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = makeDynamoDbClient(endpoint);
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new EmulatorError(`DynamoDB Local exited during start: ${tail()}`);
      try {
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(1000) });
        break;
      } catch {
        if (Date.now() > deadline)
          throw new EmulatorError(`DynamoDB Local did not answer within 30 s: ${tail()}`);
        await sleep(200);
      }
    }
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, stop: () => stopChild(child) };
}
