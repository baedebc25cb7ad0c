import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { checkJava, startDynamoDbLocal, startS3Server } from "../local/emulators";
import { S3_TEST_KEY_PAIRS } from "./support/fixtures";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    s3Endpoint: string;
  }
}

/** The emulators, started once per run on free ports and stopped (with their files) at the end. */
export default async function setup(project: TestProject) {
  checkJava();
  const s3Directory = mkdtempSync(join(tmpdir(), "vault-s3-"));
  const started = await Promise.allSettled([
    startDynamoDbLocal(),
    startS3Server({ directory: s3Directory, keyPairs: S3_TEST_KEY_PAIRS }),
  ]);
  const running = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const teardown = async () => {
    await Promise.all(running.map((emulator) => emulator.stop()));
    rmSync(s3Directory, { recursive: true, force: true });
  };
  const [dynamodb, s3] = started;
  if (dynamodb?.status !== "fulfilled" || s3?.status !== "fulfilled") {
    // Don't leave the one that did start running behind a failed setup.
    await teardown();
    const failed = started.find((result) => result.status === "rejected");
    throw failed?.reason;
  }
  project.provide("dynamodbEndpoint", dynamodb.value.endpoint);
  project.provide("s3Endpoint", s3.value.endpoint);
  return teardown;
}
