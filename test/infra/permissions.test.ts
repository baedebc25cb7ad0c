import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { actionsOf, buildStack, policyStatements } from "./stack-fixture";

const TENANT_CONTEXT_CONDITIONS = {
  "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["tenant", "credentialId"] },
  Null: { "kms:EncryptionContext:tenant": "false", "kms:EncryptionContext:credentialId": "false" },
};

describe("least-privilege IAM", () => {
  const { template } = buildStack();
  const statements = policyStatements(template);
  const statementsOf = (policyPrefix: string) =>
    statements.filter(({ policyId }) => policyId.startsWith(policyPrefix)).map(({ statement }) => statement);

  it("lets the API generate and decrypt data keys only under the tenant + credential context", () => {
    const kms = statementsOf("ApiHandlerRole").filter((s) => actionsOf(s).some((a) => a.startsWith("kms:")));
    expect(kms).toEqual([
      {
        Sid: "SecretsKeyWithTenantContext",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: { "Fn::GetAtt": [expect.stringMatching(/^DataSecretsKey/), "Arn"] },
        Condition: TENANT_CONTEXT_CONDITIONS,
      },
    ]);
  });

  it("lets the billing job and both workers decrypt, never generate, under the same context", () => {
    for (const job of ["BillingImportHandlerRole", "BillingImportWorkerRole", "InventorySweepWorkerRole"]) {
      const kms = statementsOf(job).filter((s) => actionsOf(s).some((a) => a.startsWith("kms:")));
      expect(kms).toEqual([
        expect.objectContaining({ Action: "kms:Decrypt", Condition: TENANT_CONTEXT_CONDITIONS }),
      ]);
    }
  });

  it("never uses a KMS action without the encryption-context conditions", () => {
    for (const { statement } of statements) {
      if (actionsOf(statement).some((action) => action.startsWith("kms:"))) {
        expect(statement.Condition).toEqual(TENANT_CONTEXT_CONDITIONS);
      }
    }
  });

  it("grants item reads and writes on the table and gsi1 only to the API", () => {
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
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
            Resource: [
              { "Fn::GetAtt": [Match.stringLikeRegexp("^DataTable"), "Arn"] },
              {
                "Fn::Join": [
                  "",
                  [{ "Fn::GetAtt": [Match.stringLikeRegexp("^DataTable"), "Arn"] }, "/index/gsi1"],
                ],
              },
            ],
          },
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp("^ApiHandlerRole") }],
    });
  });

  it("lets the scheduled sweep query gsi3, record runs and enqueue, with no KMS and no S3", () => {
    const actions = statementsOf("InventorySweepHandlerRole").flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith("dynamodb:")).sort()).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
    ]);
    expect(actions.filter((a) => a.startsWith("s3:") || a.startsWith("kms:"))).toEqual([]);
    expect(actions.filter((a) => a.startsWith("sqs:"))).toEqual(["sqs:SendMessage"]);
  });

  it("lets the sweep worker read its previous report and write the new one under inventory/ only", () => {
    const s3 = statementsOf("InventorySweepWorkerRole").filter((s) =>
      actionsOf(s).some((a) => a.startsWith("s3:")),
    );
    expect(s3).toEqual([
      {
        Sid: "ReportsBucketWrite",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        Resource: {
          "Fn::Join": [
            "",
            [{ "Fn::GetAtt": [expect.stringMatching(/^DataReportsBucket/), "Arn"] }, "/inventory/*"],
          ],
        },
      },
    ]);
  });

  it("lets the scheduled billing import query gsi2 only, record its runs, and enqueue", () => {
    const table = { "Fn::GetAtt": [expect.stringMatching(/^DataTable/), "Arn"] };
    const job = statementsOf("BillingImportHandlerRole");
    expect(job.filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")))).toEqual([
      {
        Sid: "QueryIndexgsi2",
        Effect: "Allow",
        Action: "dynamodb:Query",
        Resource: { "Fn::Join": ["", [table, "/index/gsi2"]] },
      },
      {
        Sid: "ImportRunRecords",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: table,
      },
    ]);
    expect(job.filter((s) => actionsOf(s).some((a) => a.startsWith("sqs:")))).toEqual([
      {
        Sid: "QueueSend",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: { "Fn::GetAtt": [expect.stringMatching(/^BillingImportQueue/), "Arn"] },
      },
    ]);
    // It lists billing buckets through the provider, it writes nothing to the reports bucket.
    expect(job.flatMap(actionsOf).filter((a) => a.startsWith("s3:"))).toEqual([]);
  });

  it("lets the billing worker read and write items, in batches too, on the table and its three indexes", () => {
    const table = { "Fn::GetAtt": [expect.stringMatching(/^DataTable/), "Arn"] };
    const dynamo = statementsOf("BillingImportWorkerRole").filter((s) =>
      actionsOf(s).some((a) => a.startsWith("dynamodb:")),
    );
    expect(dynamo).toEqual([
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
        Resource: [
          table,
          ...["gsi1", "gsi2", "gsi3"].map((index) => ({ "Fn::Join": ["", [table, `/index/${index}`]] })),
        ],
      },
    ]);
  });

  it("lets the billing worker write report objects under finops/ only", () => {
    const s3 = statementsOf("BillingImportWorkerRole").filter((s) =>
      actionsOf(s).some((a) => a.startsWith("s3:")),
    );
    expect(s3).toEqual([
      {
        Sid: "ReportsBucketWrite",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"],
        Resource: {
          "Fn::Join": [
            "",
            [{ "Fn::GetAtt": [expect.stringMatching(/^DataReportsBucket/), "Arn"] }, "/finops/*"],
          ],
        },
      },
    ]);
  });

  it("lets the billing worker consume its queue (the event source's grant) and send to it, nothing more", () => {
    const queueArn = { "Fn::GetAtt": [expect.stringMatching(/^BillingImportQueue/), "Arn"] };
    const sqs = statementsOf("BillingImportWorkerRole").filter((s) =>
      actionsOf(s).some((a) => a.startsWith("sqs:")),
    );
    expect(sqs.flatMap(actionsOf).sort()).toEqual([
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
      "sqs:SendMessage",
    ]);
    for (const statement of sqs) expect(statement.Resource).toEqual(queueArn);
  });

  it("lets the API enqueue billing imports and sweeps, in one statement, and only that on SQS", () => {
    const sqs = statementsOf("ApiHandlerRole").filter((s) => actionsOf(s).some((a) => a.startsWith("sqs:")));
    expect(sqs).toEqual([
      {
        Sid: "QueueSend",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: [
          { "Fn::GetAtt": [expect.stringMatching(/^BillingImportQueue/), "Arn"] },
          { "Fn::GetAtt": [expect.stringMatching(/^InventorySweepQueue/), "Arn"] },
        ],
      },
    ]);
  });

  it("lets only the billing worker and the scheduled sweep touch gsi3, and no role address another index wholesale", () => {
    for (const { policyId, statement } of statements) {
      const resources = JSON.stringify(statement.Resource);
      expect(resources).not.toContain("/index/*");
      if (resources.includes("/index/gsi3"))
        expect(policyId).toMatch(/^(BillingImportWorkerRole|InventorySweepHandlerRole)/);
    }
  });

  it("lets the API read report objects under inventory/ only (its presigned download URLs), nothing else in S3", () => {
    const s3 = statementsOf("ApiHandlerRole").filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")));
    expect(s3).toEqual([
      {
        Sid: "ReportsBucketRead",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: {
          "Fn::Join": [
            "",
            [{ "Fn::GetAtt": [expect.stringMatching(/^DataReportsBucket/), "Arn"] }, "/inventory/*"],
          ],
        },
      },
    ]);
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
