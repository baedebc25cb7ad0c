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

  it("lets the scheduled jobs decrypt, never generate, under the same context", () => {
    for (const job of ["BillingImportHandlerRole", "InventorySweepHandlerRole"]) {
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

  it("gives the scheduled jobs table reads and report writes, and no table writes", () => {
    for (const job of ["BillingImportHandlerRole", "InventorySweepHandlerRole"]) {
      const actions = statementsOf(job).flatMap(actionsOf);
      expect(actions.filter((a) => a.startsWith("dynamodb:")).sort()).toEqual([
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:Query",
      ]);
      expect(actions.filter((a) => a.startsWith("s3:")).sort()).toEqual([
        "s3:AbortMultipartUpload",
        "s3:PutObject",
      ]);
    }
  });

  it("gives the API no access to the reports bucket", () => {
    expect(
      statementsOf("ApiHandlerRole")
        .flatMap(actionsOf)
        .filter((a) => a.startsWith("s3:")),
    ).toEqual([]);
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
