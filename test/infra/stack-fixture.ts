import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { parseDeployConfig } from "../../infra/config";
import { REPO_ROOT } from "../../infra/project";
import { CredentialVaultStack } from "../../infra/stack";

/** The feature flags from cdk.json, so the test stack synthesises like `cdk synth`. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, "cdk.json"), "utf8")) as { context?: object };
  return { ...cdkJson.context };
}

/** Builds the stack with bundling off (synth in about a second) and the given deploy config. */
export function buildStack(deployContext: Record<string, unknown> = {}): {
  app: App;
  stack: CredentialVaultStack;
  template: Template;
} {
  const app = new App({ context: { ...cdkJsonContext(), "aws:cdk:bundling-stacks": [] } });
  const stack = new CredentialVaultStack(app, "CredentialVault", {
    config: parseDeployConfig(deployContext),
    appVersion: "9.9.9-test",
  });
  return { app, stack, template: Template.fromStack(stack) };
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every IAM policy in the template, keyed by the policy's logical id. */
export function policyStatements(
  template: Template,
): Array<{ policyId: string; statement: PolicyStatementJson }> {
  const policies = template.findResources("AWS::IAM::Policy") as Record<
    string,
    { Properties: { PolicyDocument: { Statement: PolicyStatementJson[] } } }
  >;
  return Object.entries(policies).flatMap(([policyId, policy]) =>
    policy.Properties.PolicyDocument.Statement.map((statement) => ({ policyId, statement })),
  );
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}
