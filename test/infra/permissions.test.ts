import { describe, expect, it } from "vitest";
import { actionsOf, buildStack, type PolicyStatementJson, policyStatements } from "./stack-fixture";

const TENANT_CONTEXT_CONDITIONS = {
  "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["tenant", "credentialId"] },
  Null: { "kms:EncryptionContext:tenant": "false", "kms:EncryptionContext:credentialId": "false" },
};

const TABLE = { "Fn::GetAtt": [expect.stringMatching(/^DataTable[0-9A-F]{8}$/), "Arn"] };
const indexArn = (index: string) => ({ "Fn::Join": ["", [TABLE, `/index/${index}`]] });
const SECRETS_KEY = { "Fn::GetAtt": [expect.stringMatching(/^DataSecretsKey[0-9A-F]{8}$/), "Arn"] };
const reportObjects = (prefix: string) => ({
  "Fn::Join": [
    "",
    [{ "Fn::GetAtt": [expect.stringMatching(/^DataReportsBucket[0-9A-F]{8}$/), "Arn"] }, `/${prefix}*`],
  ],
});
const queueArn = (job: string) => ({
  "Fn::GetAtt": [expect.stringMatching(new RegExp(`^${job}Queue[0-9A-F]{8}$`)), "Arn"],
});

/** The consume actions the SQS event source grants a worker on its queue. */
const QUEUE_CONSUME_ACTIONS = [
  "sqs:ChangeMessageVisibility",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
  "sqs:ReceiveMessage",
];

/** Every function role, by the prefix of its default policy's logical id. */
const ROLES = [
  "ApiHandlerRole",
  "BillingImportHandlerRole",
  "BillingImportWorkerRole",
  "InventorySweepHandlerRole",
  "InventorySweepWorkerRole",
] as const;

describe("least-privilege IAM", () => {
  const { template } = buildStack();
  const statements = policyStatements(template);
  const statementsOf = (policyPrefix: string) =>
    statements.filter(({ policyId }) => policyId.startsWith(policyPrefix)).map(({ statement }) => statement);
  const onService = (role: string, service: string): PolicyStatementJson[] =>
    statementsOf(role).filter((s) => actionsOf(s).some((a) => a.startsWith(`${service}:`)));
  /** The roles (policy prefixes) with at least one statement matching `predicate`. */
  const rolesWith = (predicate: (statement: PolicyStatementJson) => boolean) =>
    ROLES.filter((role) => statementsOf(role).some(predicate));

  it("has one default policy per function role, and no other policy", () => {
    const policyIds = [...new Set(statements.map(({ policyId }) => policyId))].sort();
    expect(policyIds).toEqual(
      ROLES.map((role) => expect.stringMatching(new RegExp(`^${role}DefaultPolicy[0-9A-F]{8}$`))),
    );
  });

  it("lets the API generate and decrypt data keys only under the tenant + credential context", () => {
    expect(onService("ApiHandlerRole", "kms")).toEqual([
      {
        Sid: "SecretsKeyWithTenantContext",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: SECRETS_KEY,
        Condition: TENANT_CONTEXT_CONDITIONS,
      },
    ]);
  });

  it("lets the billing job and both workers decrypt, never generate, under the same context; the scheduled sweep has no KMS", () => {
    for (const role of ["BillingImportHandlerRole", "BillingImportWorkerRole", "InventorySweepWorkerRole"]) {
      expect(onService(role, "kms")).toEqual([
        {
          Sid: "SecretsKeyWithTenantContext",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: SECRETS_KEY,
          Condition: TENANT_CONTEXT_CONDITIONS,
        },
      ]);
    }
    expect(rolesWith((s) => actionsOf(s).some((a) => a.startsWith("kms:")))).toEqual([
      "ApiHandlerRole",
      "BillingImportHandlerRole",
      "BillingImportWorkerRole",
      "InventorySweepWorkerRole",
    ]);
  });

  it("never uses a KMS action without the encryption-context conditions", () => {
    for (const { statement } of statements) {
      if (actionsOf(statement).some((action) => action.startsWith("kms:"))) {
        expect(statement.Condition).toEqual(TENANT_CONTEXT_CONDITIONS);
      }
    }
  });

  it("grants item reads and writes (no batch writes) on the table and gsi1 to the API and the sweep worker only", () => {
    const readWrite = {
      Sid: "CredentialTableReadWrite",
      Effect: "Allow",
      Action: [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
      ],
      Resource: [TABLE, indexArn("gsi1")],
    };
    for (const role of ["ApiHandlerRole", "InventorySweepWorkerRole"]) {
      expect(onService(role, "dynamodb")).toEqual([readWrite]);
    }
    expect(rolesWith((s) => s.Sid === "CredentialTableReadWrite")).toEqual([
      "ApiHandlerRole",
      "InventorySweepWorkerRole",
    ]);
  });

  it("lets the scheduled sweep query gsi3 only, record its runs and enqueue, with no KMS and no S3", () => {
    expect(onService("InventorySweepHandlerRole", "dynamodb")).toEqual([
      { Sid: "QueryIndexgsi3", Effect: "Allow", Action: "dynamodb:Query", Resource: indexArn("gsi3") },
      {
        Sid: "InventoryRunRecords",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
        Resource: TABLE,
      },
    ]);
    expect(onService("InventorySweepHandlerRole", "sqs")).toEqual([
      { Sid: "QueueSend", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn("InventorySweep") },
    ]);
    expect(onService("InventorySweepHandlerRole", "kms")).toEqual([]);
    expect(onService("InventorySweepHandlerRole", "s3")).toEqual([]);
  });

  it("lets the scheduled billing import query gsi2 only, record its runs, and enqueue", () => {
    const job = statementsOf("BillingImportHandlerRole");
    expect(onService("BillingImportHandlerRole", "dynamodb")).toEqual([
      { Sid: "QueryIndexgsi2", Effect: "Allow", Action: "dynamodb:Query", Resource: indexArn("gsi2") },
      {
        Sid: "ImportRunRecords",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: TABLE,
      },
    ]);
    expect(onService("BillingImportHandlerRole", "sqs")).toEqual([
      { Sid: "QueueSend", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn("BillingImport") },
    ]);
    // It lists billing buckets through the provider, it writes nothing to the reports bucket.
    expect(job.flatMap(actionsOf).filter((a) => a.startsWith("s3:"))).toEqual([]);
  });

  it("lets the billing worker read and write items, in batches too, on the table and its three indexes", () => {
    expect(onService("BillingImportWorkerRole", "dynamodb")).toEqual([
      {
        Sid: "CredentialTableBulkReadWrite",
        Effect: "Allow",
        Action: [
          "dynamodb:BatchGetItem",
          "dynamodb:BatchWriteItem",
          "dynamodb:ConditionCheckItem",
          "dynamodb:DeleteItem",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
        ],
        Resource: [TABLE, indexArn("gsi1"), indexArn("gsi2"), indexArn("gsi3")],
      },
    ]);
  });

  it("lets the billing worker write and delete report objects under finops/ only, never read them", () => {
    expect(onService("BillingImportWorkerRole", "s3")).toEqual([
      {
        Sid: "ReportsBucketWrite",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"],
        Resource: reportObjects("finops/"),
      },
    ]);
  });

  it("lets the sweep worker read its previous report and write the new one under inventory/ only, never delete", () => {
    expect(onService("InventorySweepWorkerRole", "s3")).toEqual([
      {
        Sid: "ReportsBucketWrite",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        Resource: reportObjects("inventory/"),
      },
    ]);
  });

  it("lets the API read report objects under inventory/ only (its presigned download URLs), nothing else in S3", () => {
    expect(onService("ApiHandlerRole", "s3")).toEqual([
      {
        Sid: "ReportsBucketRead",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: reportObjects("inventory/"),
      },
    ]);
  });

  it("grants S3 to exactly the API and the two workers, each on its own prefix, never the whole bucket", () => {
    expect(rolesWith((s) => actionsOf(s).some((a) => a.startsWith("s3:")))).toEqual([
      "ApiHandlerRole",
      "BillingImportWorkerRole",
      "InventorySweepWorkerRole",
    ]);
    for (const { statement } of statements) {
      if (actionsOf(statement).some((a) => a.startsWith("s3:"))) {
        expect(JSON.stringify(statement.Resource)).toMatch(/"\/(finops|inventory)\/\*"/);
      }
    }
  });

  for (const job of ["BillingImport", "InventorySweep"]) {
    it(`lets the ${job} worker consume its queue (the event source's grant) and send to it, nothing more`, () => {
      const sqs = onService(`${job}WorkerRole`, "sqs");
      expect(sqs).toEqual([
        { Effect: "Allow", Action: QUEUE_CONSUME_ACTIONS, Resource: queueArn(job) },
        { Sid: "QueueSend", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn(job) },
      ]);
    });
  }

  it("lets the API enqueue billing imports and sweeps, in one statement, and only that on SQS", () => {
    expect(onService("ApiHandlerRole", "sqs")).toEqual([
      {
        Sid: "QueueSend",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: [queueArn("BillingImport"), queueArn("InventorySweep")],
      },
    ]);
  });

  it("lets each role reach only its own indexes (gsi3: the billing worker and the scheduled sweep), none wholesale", () => {
    const rolesOnIndex = (index: string) =>
      rolesWith((s) => JSON.stringify(s.Resource).includes(`"/index/${index}"`));
    expect(rolesOnIndex("gsi1")).toEqual([
      "ApiHandlerRole",
      "BillingImportWorkerRole",
      "InventorySweepWorkerRole",
    ]);
    expect(rolesOnIndex("gsi2")).toEqual(["BillingImportHandlerRole", "BillingImportWorkerRole"]);
    expect(rolesOnIndex("gsi3")).toEqual(["BillingImportWorkerRole", "InventorySweepHandlerRole"]);
    for (const { statement } of statements) {
      const resources = JSON.stringify(statement.Resource);
      expect(resources).not.toContain("/index/*");
      expect(resources).not.toMatch(/\/index\/(?!gsi[123]")/);
    }
  });

  it("grants no Scan and no wildcard action anywhere", () => {
    const allActions = statements.flatMap(({ statement }) => actionsOf(statement));
    expect(allActions.length).toBeGreaterThan(0);
    expect(allActions).not.toContain("dynamodb:Scan");
    expect(allActions.filter((action) => action.includes("*"))).toEqual([]);
  });

  it("never grants on a whole service's resources (Resource: *)", () => {
    for (const { statement } of statements) expect(statement.Resource).not.toBe("*");
  });
});
