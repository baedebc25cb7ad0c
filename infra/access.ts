import { Stack, Validations } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Bucket, CfnBucket } from "aws-cdk-lib/aws-s3";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { VaultFunction } from "./constructs/vault-function";

/**
 * Least-privilege grants, written out action by action so a reviewer sees exactly what each
 * function may do. No Scan anywhere: request paths query by key (see the architecture page).
 */

const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
// Transactions are authorised per item through these same actions (there is no TransactWriteItems action).
const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
];

/**
 * - `read`: GetItem, BatchGetItem, Query.
 * - `readWrite`: `read` + PutItem, UpdateItem, DeleteItem, ConditionCheckItem.
 * - `bulkReadWrite`: `readWrite` + BatchWriteItem (the billing-import worker writes cost rows in batches).
 */
export type TableAccess = "read" | "readWrite" | "bulkReadWrite";

const TABLE_ACCESS: Record<TableAccess, { sid: string; actions: readonly string[] }> = {
  read: { sid: "CredentialTableRead", actions: TABLE_READ_ACTIONS },
  readWrite: {
    sid: "CredentialTableReadWrite",
    actions: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
  },
  bulkReadWrite: {
    sid: "CredentialTableBulkReadWrite",
    actions: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS, "dynamodb:BatchWriteItem"],
  },
};

/** Item-level access on the table and on the named indexes only (no `index/*`). */
export function grantTableAccess(
  table: ITableV2,
  indexNames: readonly string[],
  grantee: IGrantable,
  access: TableAccess,
): void {
  const { sid, actions } = TABLE_ACCESS[access];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid,
      actions: [...actions],
      resources: [table.tableArn, ...indexNames.map((name) => indexArn(table, name))],
    }),
  );
}

export type TableItemAction = "dynamodb:GetItem" | "dynamodb:PutItem" | "dynamodb:UpdateItem";

/** Single-item actions on the table itself (no index), e.g. a job recording its own runs. */
export function grantTableItems(
  table: ITableV2,
  grantee: IGrantable,
  sid: string,
  actions: readonly TableItemAction[],
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ sid, actions: [...actions], resources: [table.tableArn] }),
  );
}

/** Query on one index only: neither the base table nor any other index. */
export function grantIndexQuery(table: ITableV2, indexName: string, grantee: IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: `QueryIndex${indexName.replace(/[^A-Za-z0-9]/g, "")}`,
      actions: ["dynamodb:Query"],
      resources: [indexArn(table, indexName)],
    }),
  );
}

function indexArn(table: ITableV2, indexName: string): string {
  return `${table.tableArn}/index/${indexName}`;
}

/** The encryption context every credential secret carries (see shared/adapters/crypto). */
export const SECRET_CONTEXT_KEYS = ["tenant", "credentialId"] as const;

export type SecretKeyAction = "kms:GenerateDataKey" | "kms:Decrypt";

/**
 * Data-key use on the secrets key, only when the request carries exactly the tenant +
 * credential context: a call without it (or with other keys) is denied by IAM itself.
 */
export function grantSecretKeyUse(key: IKey, grantee: IGrantable, actions: readonly SecretKeyAction[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: "SecretsKeyWithTenantContext",
      actions: [...actions],
      resources: [key.keyArn],
      conditions: {
        "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": [...SECRET_CONTEXT_KEYS] },
        Null: Object.fromEntries(
          SECRET_CONTEXT_KEYS.map((name) => [`kms:EncryptionContext:${name}`, "false"]),
        ),
      },
    }),
  );
}

/**
 * `sqs:SendMessage` on the given queues, in one statement, nothing else: the queues are
 * SQS-managed encrypted (no KMS grant needed) and senders get their URLs from the environment.
 */
export function grantQueueSend(queues: IQueue | readonly IQueue[], grantee: IGrantable): void {
  const all = Array.isArray(queues) ? queues : [queues as IQueue];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: "QueueSend",
      actions: ["sqs:SendMessage"],
      resources: all.map((queue) => queue.queueArn),
    }),
  );
}

export interface ReportWriteOptions {
  /** Limit the grant to keys under this prefix, e.g. `finops/`. @default "" (the whole bucket) */
  readonly keyPrefix?: string;
  /** What the run-time key names are made of, for the acknowledgement's reason. */
  readonly keyNaming?: string;
}

/**
 * PutObject (and abort of its multipart uploads) on the reports bucket's objects, optionally only
 * under a key prefix, plus GetObject and DeleteObject there when the job needs them.
 */
export function grantReportWrites(
  bucket: Bucket,
  job: VaultFunction,
  options: ReportWriteOptions & { alsoRead?: boolean; alsoDelete?: boolean } = {},
): void {
  const { keyPrefix = "", keyNaming = "tenant, run date, run id" } = options;
  const objects = `${keyPrefix}*`;
  job.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: "ReportsBucketWrite",
      actions: [
        "s3:PutObject",
        "s3:AbortMultipartUpload",
        // A sweep reads its previous run's report to diff; an import removes its stale month files.
        ...(options.alsoRead ? ["s3:GetObject"] : []),
        ...(options.alsoDelete ? ["s3:DeleteObject"] : []),
      ],
      resources: [bucket.arnForObjects(objects)],
    }),
  );
  const bucketLogicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  const where = keyPrefix ? `this one bucket's objects under ${keyPrefix}` : "this one bucket's objects";
  Validations.of(job.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${objects}]`,
    reason:
      `Report keys are named at run time (${keyNaming}), so object ARNs cannot be listed in ` +
      `advance; the wildcard is limited to ${["PutObject", "AbortMultipartUpload", ...(options.alsoRead ? ["GetObject"] : []), ...(options.alsoDelete ? ["DeleteObject"] : [])].join("/")} on ${where}.`,
  });
}

/**
 * Read access to report objects under a prefix: the API presigns download URLs with its own role,
 * so the role must be allowed to read what the URLs point at (and nothing else in the bucket).
 */
export function grantReportReads(
  bucket: Bucket,
  fn: VaultFunction,
  keyPrefix: string,
  keyNaming: string,
): void {
  const objects = `${keyPrefix}*`;
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: "ReportsBucketRead",
      actions: ["s3:GetObject"],
      resources: [bucket.arnForObjects(objects)],
    }),
  );
  const bucketLogicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${objects}]`,
    reason:
      `Report keys are named at run time (${keyNaming}), so object ARNs cannot be listed in advance; ` +
      `the wildcard is limited to GetObject on this one bucket's objects under ${keyPrefix}, for download URLs.`,
  });
}
