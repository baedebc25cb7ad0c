import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { S3Client } from "@aws-sdk/client-s3";
import type { RunningEmulator } from "./dynamodb-local";
import { EmulatorError } from "./errors";
import { findFreePort } from "./ports";
import { adoptChild, stopChild, tailOf } from "./process";

const START_TIMEOUT_MS = 20_000;

/** An S3 client for s3rver: path-style, its fixed key pair, checksums only when required. */
export function makeS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** s3rver in a child process, files under `directory`, the given buckets created. */
export async function startS3Server(options: {
  port?: number;
  directory: string;
  buckets?: string[];
  /** Access keys s3rver should know besides S3RVER/S3RVER (it refuses unknown key ids). */
  keyPairs?: Array<{ accessKeyId: string; secretAccessKey: string }>;
}): Promise<RunningEmulator> {
  const port = options.port ?? (await findFreePort());
  mkdirSync(options.directory, { recursive: true });
  const runner = fileURLToPath(new URL("./s3rver-runner.mjs", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", runner, String(port), options.directory, ...(options.buckets ?? [])],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        S3RVER_KEY_PAIRS: (options.keyPairs ?? [])
          .map((pair) => `${pair.accessKeyId}:${pair.secretAccessKey}`)
          .join(","),
      },
    },
  );
  adoptChild(child);
  const tail = tailOf(child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new EmulatorError(`the local S3 server did not start within 20 s: ${tail()}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("s3rver ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new EmulatorError(`the local S3 server exited during start: ${tail()}`));
    });
  }).catch(async (error) => {
    await stopChild(child);
    throw error;
  });
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => stopChild(child) };
}
