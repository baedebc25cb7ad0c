import { Stack, Validations } from "aws-cdk-lib";
import type { ITableV2 } from "aws-cdk-lib/aws-dynamodb";
import { type IGrantable, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Bucket, CfnBucket } from "aws-cdk-lib/aws-s3";
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

export type TableAccess = "read" | "readWrite";

/** Item-level access on the table and on the named index only (no `index/*`). */
export function grantTableAccess(
  table: ITableV2,
  indexName: string,
  grantee: IGrantable,
  access: TableAccess,
): void {
  const actions =
    access === "readWrite" ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      sid: access === "readWrite" ? "CredentialTableReadWrite" : "CredentialTableRead",
      actions,
      resources: [table.tableArn, `${table.tableArn}/index/${indexName}`],
    }),
  );
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

/** PutObject (and abort of its multipart uploads) on the reports bucket's objects. */
export function grantReportWrites(bucket: Bucket, job: VaultFunction): void {
  job.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: "ReportsBucketWrite",
      actions: ["s3:PutObject", "s3:AbortMultipartUpload"],
      resources: [bucket.arnForObjects("*")],
    }),
  );
  const bucketLogicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  Validations.of(job.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
    reason:
      "Report keys are named at run time (tenant, run date, run id), so object ARNs cannot be listed in " +
      "advance; the wildcard is limited to PutObject/AbortMultipartUpload on this one bucket's objects.",
  });
}
