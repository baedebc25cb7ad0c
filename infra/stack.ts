import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { grantReportWrites, grantSecretKeyUse, grantTableAccess } from "./access";
import type { DeployConfig } from "./config";
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

/** The credential vault: data (table, key, buckets), the HTTP API, and the two schedules. */
export class CredentialVaultStack extends Stack {
  readonly data: VaultData;
  readonly api: VaultApi;
  readonly billingImport: ScheduledJob;
  readonly inventorySweep: ScheduledJob;
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
      },
      logRetention: config.logRetentionDays,
    });
    grantTableAccess(table, VaultData.INDEX_NAME, this.api.handler, "readWrite");
    grantSecretKeyUse(secretsKey, this.api.handler, ["kms:GenerateDataKey", "kms:Decrypt"]);

    this.billingImport = new ScheduledJob(this, "BillingImport", {
      entryFile: "billing-import.ts",
      description: "Imports OUTSCALE billing data into cost records",
      schedule: config.billingImportSchedule,
      environment,
      logRetention: config.logRetentionDays,
    });
    this.inventorySweep = new ScheduledJob(this, "InventorySweep", {
      entryFile: "inventory-sweep.ts",
      description: "Lists every resource each credential can see and lands a report in S3",
      schedule: config.inventorySweepSchedule,
      environment,
      logRetention: config.logRetentionDays,
    });
    for (const job of [this.billingImport, this.inventorySweep]) {
      grantJobAccess(this.data, job.handler);
    }

    this.addOutputs();
  }

  private addOutputs(): void {
    new CfnOutput(this, "ApiUrl", { value: this.api.url, description: "HTTP API base URL" });
    new CfnOutput(this, "TableName", { value: this.data.table.tableName });
    new CfnOutput(this, "ReportsBucketName", { value: this.data.reportsBucket.bucketName });
    new CfnOutput(this, "SecretsKeyArn", { value: this.data.secretsKey.keyArn });
    if (this.identity) {
      new CfnOutput(this, "UserPoolId", { value: this.identity.userPool.userPoolId });
      new CfnOutput(this, "UserPoolClientId", { value: this.identity.client.userPoolClientId });
    }
  }
}

/** Scheduled jobs read credentials (and open their secrets) and write reports. */
function grantJobAccess(data: VaultData, job: VaultFunction): void {
  grantTableAccess(data.table, VaultData.INDEX_NAME, job, "read");
  grantSecretKeyUse(data.secretsKey, job, ["kms:Decrypt"]);
  grantReportWrites(data.reportsBucket, job);
}
