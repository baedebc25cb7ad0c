import { join, resolve } from "node:path";
import { ensureTable } from "../shared/adapters/dynamodb/table";
import { ConfigError, parseConfig } from "../shared/config";
import { createApiHandler } from "../shared/http/api-handler";
import { createLogger } from "../shared/logging";
import { dynamoDbClient } from "../shared/wiring";
import { wireWorkerServices } from "../shared/wiring-worker";
import { assertPortFree, checkJava, EmulatorError, startDynamoDbLocal, startS3Server } from "./emulators";
import { startLocalApi } from "./server";
import { LocalTokens } from "./tokens";

/**
 * `npm start`: the embedded stack. DynamoDB Local and the local S3 server persist under DATA_DIR,
 * the local key file stands in for KMS, the API handler serves on 127.0.0.1:PORT, and the two
 * scheduled handlers run on timers. The handlers are the same modules the Lambdas run.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigError(`PORT: must be a port number, got "${process.env.PORT}"`);
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  process.once("SIGINT", () => void stopAll().then(() => process.exit(0)));
  process.once("SIGTERM", () => void stopAll().then(() => process.exit(0)));

  try {
    await assertPortFree(port, "the API");
    let dynamodbEndpoint = process.env.DYNAMODB_ENDPOINT;
    if (!dynamodbEndpoint) {
      await checkJava();
      const dynamodb = await startDynamoDbLocal({ dbPath: join(dataDir, "dynamodb") });
      stops.push(dynamodb.stop);
      dynamodbEndpoint = dynamodb.endpoint;
    }
    const reportsBucket = process.env.REPORTS_BUCKET ?? "credential-vault-reports";
    let s3Endpoint = process.env.S3_ENDPOINT;
    if (!s3Endpoint) {
      const s3 = await startS3Server({ directory: join(dataDir, "s3"), buckets: [reportsBucket] });
      stops.push(s3.stop);
      s3Endpoint = s3.endpoint;
    }
    // The scheduled handlers read process.env at import, as in Lambda: set it before importing them.
    Object.assign(process.env, {
      DEPLOY_MODE: "local",
      TABLE_NAME: process.env.TABLE_NAME ?? "credential-vault",
      LOCAL_KEY_FILE: process.env.LOCAL_KEY_FILE ?? join(dataDir, "local-master.key"),
      DYNAMODB_ENDPOINT: dynamodbEndpoint,
      S3_ENDPOINT: s3Endpoint,
      REPORTS_BUCKET: reportsBucket,
    });
    const config = parseConfig();
    const dynamodb = dynamoDbClient(config);
    await ensureTable(dynamodb, config.TABLE_NAME);

    const handler = createApiHandler({
      services: wireWorkerServices(config),
      logger: createLogger(config.LOG_LEVEL, { service: "api" }),
      claimNames: { tenant: config.TENANT_CLAIM, roles: config.ROLES_CLAIM },
    });
    const api = await startLocalApi({
      port,
      handler,
      tokens: LocalTokens.open(join(dataDir, "local-jwt.key")),
    });
    stops.push(api.stop);
    stops.push(await startSchedules());

    process.stdout.write(
      [
        "",
        `Credential vault (local) listening on ${api.url}`,
        `  health:   curl ${api.url}/v1/health`,
        "  a token:  npm run token -- --tenant acme --role admin",
        `  then:     curl -H "Authorization: Bearer $TOKEN" ${api.url}/v1/credentials`,
        `  data:     ${dataDir} (DynamoDB Local ${dynamodbEndpoint}, S3 ${s3Endpoint})`,
        "  Ctrl-C stops everything.",
        "",
      ].join("\n"),
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The two schedules on timers, running the same handlers as the scheduled Lambdas. */
async function startSchedules(): Promise<() => Promise<void>> {
  const minutes = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0)
      throw new ConfigError(`${name}: must be a positive number of minutes`);
    return value;
  };
  const billing = await import("../functions/billing-import");
  const inventory = await import("../functions/inventory-sweep");
  const timers = [
    setInterval(
      () => void billing.handler().catch(() => undefined),
      minutes("BILLING_IMPORT_INTERVAL_MINUTES", 24 * 60) * 60_000,
    ),
    setInterval(
      () => void inventory.handler().catch(() => undefined),
      minutes("INVENTORY_SWEEP_INTERVAL_MINUTES", 6 * 60) * 60_000,
    ),
  ];
  return async () => {
    for (const timer of timers) clearInterval(timer);
  };
}

main().catch((error: unknown) => {
  // Known start problems (Java missing, port busy, bad variable) get one line, not a stack trace.
  const known = error instanceof EmulatorError || error instanceof ConfigError;
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (!known && error instanceof Error && process.env.DEBUG) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
