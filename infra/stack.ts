import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import {
  grantIndexQuery,
  grantQueueSend,
  grantReportReads,
  grantReportWrites,
  grantSecretKeyUse,
  grantTableAccess,
  grantTableItems,
} from "./access";
import type { DeployConfig } from "./config";
import { FocusCostsCatalog } from "./constructs/focus-costs-catalog";
import { ScheduledJob } from "./constructs/scheduled-job";
import { VaultApi } from "./constructs/vault-api";
import { VaultData } from "./constructs/vault-data";
import type { VaultFunction } from "./constructs/vault-function";
import { VaultIdentity } from "./constructs/vault-identity";

export interface CredentialVaultStackProps extends StackProps {
  readonly config: DeployConfig;
  /** Handed to every function as APP_VERSION. */
  readonly appVersion: string;
}

/** Where the billing-import worker writes FOCUS files in the reports bucket (and Athena reads them). */
const FINOPS_PREFIX = "finops/";
/** The billing import's queue URL, for the scheduled job, its worker and the API (manual imports). */
const IMPORT_QUEUE_URL_ENV = "IMPORT_QUEUE_URL";
/** Where the sweep worker writes report folders (inventory/<tenant>/<credential>/<run>/). */
const INVENTORY_PREFIX = "inventory/";
/** The inventory sweep's queue URL, for the scheduled job, its worker and the API (manual sweeps). */
const INVENTORY_QUEUE_URL_ENV = "INVENTORY_QUEUE_URL";

/**
 * The credential vault: data (table, key, buckets), the HTTP API, the two schedules (the billing
 * import and the inventory sweep, each with its queue + worker) and the Glue catalog of the FOCUS
 * cost files.
 */
export class CredentialVaultStack extends Stack {
  readonly data: VaultData;
  readonly api: VaultApi;
  readonly billingImport: ScheduledJob;
  readonly inventorySweep: ScheduledJob;
  readonly focusCosts: FocusCostsCatalog;
  readonly identity?: VaultIdentity;

  constructor(scope: Construct, id: string, props: CredentialVaultStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new VaultData(this, "Data");
    const { table, secretsKey, reportsBucket } = this.data;

    let jwt: { issuer: string; audience: string };
    if (config.jwtIssuer && config.jwtAudience) {
      jwt = { issuer: config.jwtIssuer, audience: config.jwtAudience };
    } else {
      this.identity = new VaultIdentity(this, "Identity");
      jwt = { issuer: this.identity.issuerUrl, audience: this.identity.client.userPoolClientId };
    }

    const environment: Record<string, string> = {
      DEPLOY_MODE: "aws",
      TABLE_NAME: table.tableName,
      KMS_KEY_ID: secretsKey.keyArn,
      REPORTS_BUCKET: reportsBucket.bucketName,
      // The built-in pool's ID tokens carry the custom attributes under these names.
      TENANT_CLAIM: config.tenantClaim ?? (this.identity ? "custom:tenant" : "tenant"),
      ROLES_CLAIM: config.rolesClaim ?? (this.identity ? "custom:roles" : "roles"),
      APP_VERSION: props.appVersion,
      LOG_LEVEL: "info",
      ...(config.allowedProviderHosts && { ALLOWED_PROVIDER_HOSTS: config.allowedProviderHosts.join(",") }),
    };

    // The billing import fans out: the scheduled run enqueues one message per billing object,
    // the worker normalises each object to FOCUS rows (table + finops/ files in the bucket).
    this.billingImport = new ScheduledJob(this, "BillingImport", {
      entryFile: "billing-import.ts",
      description: "Imports OUTSCALE billing data into cost records",
      schedule: config.billingImportSchedule,
      environment,
      logRetention: config.logRetentionDays,
      worker: {
        entryFile: "billing-import-worker.ts",
        description: "Imports one billing object: FOCUS cost rows to the table and to finops/ in S3",
        timeout: Duration.minutes(5),
        memorySize: 1024,
        batchSize: 1,
        maxConcurrency: 5,
        queueUrlEnv: IMPORT_QUEUE_URL_ENV,
      },
    });
    const billingFanOut = this.billingImport.fanOut;
    if (!billingFanOut) throw new Error("the billing import is created with a worker");
    grantBillingImportAccess(this.data, this.billingImport.handler);
    grantBillingWorkerAccess(this.data, billingFanOut.worker);

    // The inventory sweep fans out too: the schedule enqueues one message per credential (gsi3),
    // the worker sweeps it and writes its report folder under inventory/.
    this.inventorySweep = new ScheduledJob(this, "InventorySweep", {
      entryFile: "inventory-sweep.ts",
      description: "Enqueues one inventory sweep per credential in inventory mode",
      schedule: config.inventorySweepSchedule,
      environment,
      logRetention: config.logRetentionDays,
      worker: {
        entryFile: "inventory-worker.ts",
        description: "Sweeps one credential's resources into a report folder in S3",
        timeout: Duration.minutes(15),
        memorySize: 1024,
        batchSize: 1,
        maxConcurrency: 10,
        queueUrlEnv: INVENTORY_QUEUE_URL_ENV,
      },
    });
    const inventoryFanOut = this.inventorySweep.fanOut;
    if (!inventoryFanOut) throw new Error("the inventory sweep is created with a worker");
    grantInventorySweepAccess(this.data, this.inventorySweep.handler);
    grantInventoryWorkerAccess(this.data, inventoryFanOut.worker);

    this.api = new VaultApi(this, "Api", {
      jwtIssuer: jwt.issuer,
      jwtAudience: jwt.audience,
      // A provider check must end inside the function's 15 s (and API Gateway's 30 s): at worst
      // 3 attempts of 3 s plus backoff of 0.5 s and 1 s with up to 1.5 s of jitter each.
      environment: {
        ...environment,
        PROVIDER_TIMEOUT_MS: "3000",
        PROVIDER_MAX_RETRIES: "2",
        PROVIDER_RETRY_BASE_MS: "500",
        // POST /v1/credentials/{id}/billing-imports enqueues an import of that credential.
        [IMPORT_QUEUE_URL_ENV]: billingFanOut.queue.queueUrl,
        // POST /v1/credentials/{id}/inventory-runs enqueues a sweep of that credential.
        [INVENTORY_QUEUE_URL_ENV]: inventoryFanOut.queue.queueUrl,
      },
      logRetention: config.logRetentionDays,
    });
    grantTableAccess(table, [VaultData.INDEX_NAME], this.api.handler, "readWrite");
    grantSecretKeyUse(secretsKey, this.api.handler, ["kms:GenerateDataKey", "kms:Decrypt"]);
    grantQueueSend([billingFanOut.queue, inventoryFanOut.queue], this.api.handler);
    grantReportReads(reportsBucket, this.api.handler, INVENTORY_PREFIX, "tenant, credential, run id");

    this.focusCosts = new FocusCostsCatalog(this, "FocusCosts", {
      bucket: reportsBucket,
      keyPrefix: FINOPS_PREFIX,
    });

    this.addOutputs();
  }

  private addOutputs(): void {
    new CfnOutput(this, "ApiUrl", { value: this.api.url, description: "HTTP API base URL" });
    new CfnOutput(this, "TableName", { value: this.data.table.tableName });
    new CfnOutput(this, "ReportsBucketName", { value: this.data.reportsBucket.bucketName });
    new CfnOutput(this, "SecretsKeyArn", { value: this.data.secretsKey.keyArn });
    new CfnOutput(this, "FocusDatabaseName", {
      value: this.focusCosts.databaseName,
      description: "Glue database of the FOCUS cost table (Athena)",
    });
    new CfnOutput(this, "FocusTableName", {
      value: this.focusCosts.tableName,
      description: "Glue table of the FOCUS cost files (partition projection: WHERE tenant = '...')",
    });
    if (this.identity) {
      new CfnOutput(this, "UserPoolId", { value: this.identity.userPool.userPoolId });
      new CfnOutput(this, "UserPoolClientId", { value: this.identity.client.userPoolClientId });
    }
  }
}

/** The scheduled sweep lists the inventory credentials (gsi3) and records a run per credential. */
function grantInventorySweepAccess(data: VaultData, job: VaultFunction): void {
  grantIndexQuery(data.table, VaultData.INVENTORY_INDEX_NAME, job);
  grantTableItems(data.table, job, "InventoryRunRecords", ["dynamodb:GetItem", "dynamodb:PutItem"]);
}

/**
 * The sweep worker opens the credential's secrets, holds the credential's lease, records its run
 * (and a refused key's validation), reads the previous report and writes the new one under inventory/.
 */
function grantInventoryWorkerAccess(data: VaultData, worker: VaultFunction): void {
  grantTableAccess(data.table, [VaultData.INDEX_NAME], worker, "readWrite");
  grantSecretKeyUse(data.secretsKey, worker, ["kms:Decrypt"]);
  grantReportWrites(data.reportsBucket, worker, {
    keyPrefix: INVENTORY_PREFIX,
    keyNaming: "tenant, credential, run id",
    alsoRead: true,
  });
}

/**
 * The scheduled billing import lists the finops credentials (gsi2), opens their secrets to list
 * their billing buckets, records its runs, and enqueues (the queue grant is ScheduledJob's).
 */
function grantBillingImportAccess(data: VaultData, job: VaultFunction): void {
  grantIndexQuery(data.table, VaultData.FINOPS_INDEX_NAME, job);
  grantTableItems(data.table, job, "ImportRunRecords", [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
  ]);
  grantSecretKeyUse(data.secretsKey, job, ["kms:Decrypt"]);
}

/**
 * The billing-import worker reads one billing object with the credential's secret, writes its
 * cost rows in batches and its FOCUS file under finops/ (and nowhere else in the bucket).
 */
function grantBillingWorkerAccess(data: VaultData, worker: VaultFunction): void {
  grantTableAccess(
    data.table,
    [VaultData.INDEX_NAME, VaultData.FINOPS_INDEX_NAME, VaultData.INVENTORY_INDEX_NAME],
    worker,
    "bulkReadWrite",
  );
  grantSecretKeyUse(data.secretsKey, worker, ["kms:Decrypt"]);
  grantReportWrites(data.reportsBucket, worker, {
    keyPrefix: FINOPS_PREFIX,
    keyNaming: "tenant, billing month, billing object",
    alsoDelete: true,
  });
}
