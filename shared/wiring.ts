import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { KMSClient } from "@aws-sdk/client-kms";
import { SQSClient } from "@aws-sdk/client-sqs";
import { systemClock } from "./adapters/clock";
import { EnvelopeSealer } from "./adapters/crypto/envelope";
import { KmsDataKeys } from "./adapters/crypto/kms-key";
import { LocalKeyFile } from "./adapters/crypto/local-key";
import { DynamoDbCostStore } from "./adapters/dynamodb/cost-store";
import { DynamoDbCredentialStore } from "./adapters/dynamodb/credential-store";
import { DynamoDbImportRuns } from "./adapters/dynamodb/import-runs";
import { DynamoDbInventoryRuns } from "./adapters/dynamodb/inventory-runs";
import { DynamoDbPendingConnections } from "./adapters/dynamodb/pending-connections";
import { ulidGenerator } from "./adapters/ids";
import { InProcessQueue } from "./adapters/queue/in-process";
import { SqsQueue } from "./adapters/queue/sqs";
import { PresignedReportLinks } from "./adapters/s3/report-links";
import { allowsPrivateProviderHosts, type RuntimeConfig } from "./config";
import { CostQueries } from "./domain/billing/costs";
import { BillingImports, type ImportWorkerDeps } from "./domain/billing/imports";
import type { ImportMessage } from "./domain/billing/model";
import { AuditTrail } from "./domain/credentials/audit";
import { ClusterAssociations } from "./domain/credentials/clusters";
import { CleverCloudConnect } from "./domain/credentials/connect";
import { CredentialService } from "./domain/credentials/credentials";
import type { SweepMessage } from "./domain/inventory/model";
import { InventorySweeps, type SweepWorkerDeps } from "./domain/inventory/sweeps";
import type { ApiServices } from "./http/services";
import { ProviderChecker } from "./providers/checker";
import { CleverCloudOAuthDance } from "./providers/clevercloud/connect";
import type { ProviderEnvironment } from "./providers/environment";
import { OutboundHostPolicy } from "./providers/http/host-policy";
import { PROVIDER_RETRY_POLICY } from "./providers/http/outbound";

/** Local mode talks to DynamoDB Local, which accepts any credentials. */
const LOCAL_AWS_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export function dynamoDbClient(config: RuntimeConfig): DynamoDBClient {
  return new DynamoDBClient(
    config.DEPLOY_MODE === "local"
      ? { endpoint: config.DYNAMODB_ENDPOINT, region: "us-east-1", credentials: LOCAL_AWS_CREDENTIALS }
      : { endpoint: config.DYNAMODB_ENDPOINT },
  );
}

export function providerEnvironment(config: RuntimeConfig): ProviderEnvironment {
  return {
    outscaleApiUrlTemplate: config.OUTSCALE_API_URL_TEMPLATE,
    outscaleOosUrlTemplate: config.OUTSCALE_OOS_URL_TEMPLATE,
    cleverCloudApiUrl: config.CLEVERCLOUD_API_URL,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    // OUTSCALE's advice scaled from the base: 2^n x base, plus up to 3 x base of jitter.
    retry: {
      ...PROVIDER_RETRY_POLICY,
      maxRetries: config.PROVIDER_MAX_RETRIES,
      baseDelayMs: config.PROVIDER_RETRY_BASE_MS,
      jitterMs: 3 * config.PROVIDER_RETRY_BASE_MS,
    },
    publicAddressesOnly: !allowsPrivateProviderHosts(config),
  };
}

/**
 * A work queue: SQS when its URL is set (deployed), otherwise an in-process queue whose handler
 * is attached below (the local stack and the tests).
 */
function workQueue<Message>(queueUrl: string | undefined): InProcessQueue<Message> | SqsQueue<Message> {
  return queueUrl ? new SqsQueue<Message>(new SQSClient({}), queueUrl) : new InProcessQueue<Message>(4);
}

/** Presigned report URLs: against the local S3 emulator, or the bucket's own address in AWS. */
function reportLinks(config: RuntimeConfig): PresignedReportLinks {
  const bucket = config.REPORTS_BUCKET ?? "reports";
  return config.DEPLOY_MODE === "local"
    ? new PresignedReportLinks(bucket, "us-east-1", config.S3_ENDPOINT, {
        accessKeyId: "S3RVER",
        secretAccessKey: "S3RVER",
      })
    : new PresignedReportLinks(bucket, process.env.AWS_REGION ?? "us-east-1");
}

/** The composition root: the same wiring serves the Lambda and the local stack; only the key source differs. */
export function wireServices(
  config: RuntimeConfig,
  options: { importWorker?: ImportWorkerDeps; sweepWorker?: SweepWorkerDeps } = {},
): ApiServices {
  const dynamodb = dynamoDbClient(config);
  const store = new DynamoDbCredentialStore(dynamodb, config.TABLE_NAME);
  const environment = providerEnvironment(config);
  const dataKeys =
    config.DEPLOY_MODE === "local"
      ? LocalKeyFile.open(config.LOCAL_KEY_FILE!)
      : new KmsDataKeys(new KMSClient({}), config.KMS_KEY_ID!);
  const sealer = new EnvelopeSealer(dataKeys);
  const credentials = new CredentialService({
    store,
    sealer,
    checker: new ProviderChecker(environment),
    hostPolicy: new OutboundHostPolicy({
      allowPrivate: allowsPrivateProviderHosts(config),
      allowedHosts: config.ALLOWED_PROVIDER_HOSTS,
    }),
    clock: systemClock,
    ids: ulidGenerator,
  });
  const queue = workQueue<ImportMessage>(config.IMPORT_QUEUE_URL);
  const costStore = new DynamoDbCostStore(dynamodb, config.TABLE_NAME);
  const billingImports = new BillingImports({
    runs: new DynamoDbImportRuns(dynamodb, config.TABLE_NAME),
    costs: costStore,
    queue,
    credentials,
    worker: options.importWorker,
    clock: systemClock,
    ids: ulidGenerator,
  });
  const sweepQueue = workQueue<SweepMessage>(config.INVENTORY_QUEUE_URL);
  const sweeps = new InventorySweeps({
    runs: new DynamoDbInventoryRuns(dynamodb, config.TABLE_NAME),
    queue: sweepQueue,
    links: reportLinks(config),
    credentials,
    clock: systemClock,
    ids: ulidGenerator,
    ...options.sweepWorker,
  });
  // Locally the queues run in this process: they need the worker side (wired in wiring-worker.ts).
  if (queue instanceof InProcessQueue && options.importWorker) {
    queue.handler = (message) => billingImports.handle(message);
  }
  if (sweepQueue instanceof InProcessQueue && options.sweepWorker) {
    sweepQueue.handler = (message) => sweeps.handle(message);
  }
  return {
    credentials,
    billingImports,
    costs: new CostQueries(costStore),
    importQueue: queue,
    sweeps,
    sweepQueue,
    clusters: new ClusterAssociations({ store, clock: systemClock, credentials }),
    audit: new AuditTrail(store),
    connect: new CleverCloudConnect({
      dance: new CleverCloudOAuthDance(environment),
      pending: new DynamoDbPendingConnections(dynamodb, config.TABLE_NAME),
      sealer,
      credentials,
      clock: systemClock,
      ids: ulidGenerator,
    }),
    appVersion: config.APP_VERSION,
  };
}
