export { makeDynamoDbClient, type RunningEmulator, startDynamoDbLocal } from "./dynamodb-local";
export { EmulatorError } from "./errors";
export { checkJava } from "./java";
export { assertPortFree, findFreePort } from "./ports";
export { makeS3Client, startS3Server } from "./s3-server";
