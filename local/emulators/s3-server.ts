import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { EmulatorError } from "./errors";
import { findFreePort } from "./ports";
import { adoptChild, type RunningEmulator, stopChild } from "./process";

const START_TIMEOUT_MS = 20_000;

/**
 * An S3 client for s3rver (see architecture.md): path-style URLs, its fixed key pair, and
 * checksums only when required (otherwise streamed bodies are stored with their chunk framing).
 */
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

/** s3rver in its own Node process (it needs --openssl-legacy-provider), files under `directory`. */
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
    // stdin stays open as a lifeline: the runner exits when it closes.
    {
      stdio: ["pipe", "pipe", "pipe"],
      env: {
        ...process.env,
        S3RVER_KEY_PAIRS: (options.keyPairs ?? [])
          .map((pair) => `${pair.accessKeyId}:${pair.secretAccessKey}`)
          .join(","),
      },
    },
  );
  const watch = adoptChild(child);
  const stop = () => stopChild(child);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new EmulatorError(`the local S3 server did not start within 20 s:\n${watch.tail()}`));
      }, START_TIMEOUT_MS);
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        if (output.includes("s3rver ready")) return;
        output += chunk.toString("utf8");
        if (output.includes("s3rver ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("close", () => {
        clearTimeout(timer);
        reject(new EmulatorError(`the local S3 server ${watch.ended()} during start:\n${watch.tail()}`));
      });
    });
    // The ready line follows listen(); one real request proves the SDK settings fit too.
    const s3 = makeS3Client(endpoint);
    try {
      await s3.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.timeout(5000) });
    } finally {
      s3.destroy();
    }
  } catch (error) {
    await stop();
    throw error instanceof EmulatorError
      ? error
      : new EmulatorError(`the local S3 server does not answer ListBuckets: ${String(error)}`);
  }
  return { endpoint, port, stop };
}
