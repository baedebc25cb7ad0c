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

/** The emulators, started once per run on free ports and stopped at the end. */
export default async function setup(project: TestProject) {
  checkJava();
  const s3Directory = mkdtempSync(join(tmpdir(), "vault-s3-"));
  const [dynamodb, s3] = await Promise.all([
    startDynamoDbLocal(),
    startS3Server({ directory: s3Directory, keyPairs: S3_TEST_KEY_PAIRS }),
  ]);
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
  return async () => {
    await Promise.all([dynamodb.stop(), s3.stop()]);
    rmSync(s3Directory, { recursive: true, force: true });
  };
}
