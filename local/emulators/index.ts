export { makeDynamoDbClient, startDynamoDbLocal } from "./dynamodb-local";
export { EmulatorError } from "./errors";
export { checkJava } from "./java";
export { assertPortFree, findFreePort } from "./ports";
export type { RunningEmulator } from "./process";
export { makeS3Client, startS3Server } from "./s3-server";
