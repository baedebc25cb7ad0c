import { Validations } from "aws-cdk-lib";
import { Annotations, Match } from "aws-cdk-lib/assertions";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { actionsOf, buildStack, policyStatements } from "./stack-fixture";

/**
 * cdk-nag v3 is a policy-validation plugin: it reports through the validation report at synth,
 * not through annotations, so the findings are read with `validateScope` here.
 */
function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

/** Every acknowledgment recorded in the tree: construct path, rule id, reason. */
function acknowledgments(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ""),
          reason,
        })),
      ),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it("finds nothing unacknowledged in the default stack", () => {
    expect(nagFindings(buildStack().stack)).toEqual([]);
  });

  it("finds nothing unacknowledged with an external issuer", () => {
    const { stack } = buildStack({ jwtIssuer: "https://login.example.com/", jwtAudience: "vault-api" });
    expect(nagFindings(stack)).toEqual([]);
  });

  it("still reports a non-compliant resource (the check is live)", () => {
    const { stack } = buildStack();
    new Bucket(stack, "CarelessBucket");
    expect(nagFindings(stack)).toEqual([
      "AwsSolutions-S1 at CredentialVault/CarelessBucket/Resource",
      "AwsSolutions-S10 at CredentialVault/CarelessBucket/Resource",
    ]);
  });

  it("acknowledges only these rules, each on the narrowest construct and with a specific reason", () => {
    const { stack } = buildStack();
    const found = acknowledgments(stack);
    // The logical id's hash suffix is not the point here.
    const described = found.map(
      ({ path, id }) => `${id.replace(/(<\w+?)[0-9A-F]{8}(\.Arn>)/, "$1$2")} on ${path}`,
    );
    expect(described.sort()).toEqual(
      [
        "AwsSolutions-APIG4 on CredentialVault/Api/HttpApi/GET--v1--health",
        "AwsSolutions-APIG4 on CredentialVault/Api/HttpApi/GET--v1--openapi.json",
        "AwsSolutions-APIG4 on CredentialVault/Api/HttpApi/GET--v1--connect--clevercloud--callback",
        "AwsSolutions-COG8 on CredentialVault/Identity/UserPool",
        "AwsSolutions-IAM5[Resource::<DataReportsBucket.Arn>/finops/*] on CredentialVault/BillingImport/Worker/Role",
        "AwsSolutions-IAM5[Resource::<DataReportsBucket.Arn>/inventory/*] on CredentialVault/Api/Handler/Role",
        "AwsSolutions-IAM5[Resource::<DataReportsBucket.Arn>/inventory/*] on CredentialVault/InventorySweep/Worker/Role",
        "AwsSolutions-L1 on CredentialVault/Api/Handler/Function",
        "AwsSolutions-L1 on CredentialVault/BillingImport/Handler/Function",
        "AwsSolutions-L1 on CredentialVault/BillingImport/Worker/Function",
        "AwsSolutions-L1 on CredentialVault/InventorySweep/Worker/Function",
        "AwsSolutions-L1 on CredentialVault/InventorySweep/Handler/Function",
        "AwsSolutions-S1 on CredentialVault/Data/AccessLogsBucket",
      ].sort(),
    );
    for (const { reason } of found) {
      expect(reason.length).toBeGreaterThan(80);
      expect(reason).not.toMatch(/^(n\/a|todo|not needed|false positive)/i);
    }
  });

  it("justifies each report wildcard (IAM5) with its own prefix and exactly the actions its role is granted there", () => {
    const { stack, template } = buildStack();
    const statements = policyStatements(template);
    const reportWildcards = acknowledgments(stack).filter(({ id }) => id.startsWith("AwsSolutions-IAM5"));
    expect(reportWildcards).toHaveLength(3);
    for (const { path, id, reason } of reportWildcards) {
      const prefix = /\/(\w+\/)\*\]$/.exec(id)?.[1];
      expect(prefix, id).toMatch(/^(finops|inventory)\/$/);
      // CredentialVault/Api/Handler/Role → the statements of ApiHandlerRoleDefaultPolicy…
      const policyPrefix = `${path.split("/").slice(1).join("")}DefaultPolicy`;
      const granted = statements
        .filter(({ policyId, statement }) => {
          return (
            policyId.startsWith(policyPrefix) && JSON.stringify(statement.Resource).includes(`"/${prefix}*"`)
          );
        })
        .flatMap(({ statement }) => actionsOf(statement));
      expect(granted.length, path).toBeGreaterThan(0);
      const named = new RegExp(
        `limited to ([A-Za-z]+(?:/[A-Za-z]+)*) on this one bucket's objects under ${prefix}`,
      ).exec(reason)?.[1];
      expect(named, reason).toBeDefined();
      expect(
        (named ?? "")
          .split("/")
          .map((action) => `s3:${action}`)
          .sort(),
        reason,
      ).toEqual(granted.sort());
    }
  });

  it("leaves no CDK construct errors or warnings", () => {
    const annotations = Annotations.fromStack(buildStack().stack);
    expect(annotations.findError("*", Match.anyValue())).toEqual([]);
    expect(annotations.findWarning("*", Match.anyValue())).toEqual([]);
  });
});
