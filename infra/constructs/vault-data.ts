import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/**
 * VaultData: everything the service stores, all kept (RETAIN) when the stack is deleted.
 *
 * Defaults:
 * - Table: single-table design, `pk`/`sk` strings, on-demand, point-in-time recovery,
 *   AWS-managed encryption, TTL on `expiresAt`, deletion protection, three indexes (all
 *   string keys, projection ALL):
 *   - `gsi1` (`gsi1pk`/`gsi1sk`): the tenant-scoped lookups of the API.
 *   - `gsi2` (`gsi2pk`/`gsi2sk`), sparse: credentials in finops mode, across tenants.
 *   - `gsi3` (`gsi3pk`/`gsi3sk`), sparse: credentials in inventory mode, across tenants.
 * - Secrets key: symmetric KMS key with yearly rotation, used only for envelope encryption
 *   of credential secrets (data keys bound to the tenant + credential encryption context).
 * - Reports bucket: private (all public access blocked, bucket-owner-enforced), TLS only,
 *   S3-managed encryption, versioned (old versions expire after 90 days), server access logs
 *   to the access-logs bucket.
 * - Access-logs bucket: same protections, logs expire after 365 days.
 */
export class VaultData extends Construct {
  static readonly INDEX_NAME = "gsi1";
  /** Sparse: only credentials in finops mode carry `gsi2pk`/`gsi2sk`. */
  static readonly FINOPS_INDEX_NAME = "gsi2";
  /** Sparse: only credentials in inventory mode carry `gsi3pk`/`gsi3sk`. */
  static readonly INVENTORY_INDEX_NAME = "gsi3";

  readonly table: TableV2;
  readonly secretsKey: Key;
  readonly reportsBucket: Bucket;
  readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new TableV2(this, "Table", {
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      timeToLiveAttribute: "expiresAt",
      globalSecondaryIndexes: [
        VaultData.INDEX_NAME,
        VaultData.FINOPS_INDEX_NAME,
        VaultData.INVENTORY_INDEX_NAME,
      ].map((indexName) => ({
        indexName,
        partitionKey: { name: `${indexName}pk`, type: AttributeType.STRING },
        sortKey: { name: `${indexName}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      })),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.secretsKey = new Key(this, "SecretsKey", {
      description: "Envelope encryption of credential secrets (context: tenant + credentialId)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogsBucket = new Bucket(this, "AccessLogsBucket", {
      ...privateBucketDefaults(),
      // Server access log delivery supports only S3-managed keys on the target bucket.
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ id: "expire-access-logs", expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "This bucket is the server-access-log target of the reports bucket; logging it into itself " +
        "would log its own log deliveries in a loop.",
    });

    this.reportsBucket = new Bucket(this, "ReportsBucket", {
      ...privateBucketDefaults(),
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: "reports-bucket/",
      lifecycleRules: [{ id: "expire-old-versions", noncurrentVersionExpiration: Duration.days(90) }],
    });
  }
}

function privateBucketDefaults() {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
  } as const;
}
