import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildStack } from "./stack-fixture";

interface FunctionProperties {
  Runtime: string;
  Architectures: string[];
  MemorySize: number;
  Timeout: number;
  Environment: { Variables: Record<string, unknown> };
  LoggingConfig: { LogGroup: { Ref: string } };
}

function functionsOf(
  template: ReturnType<typeof buildStack>["template"],
): Record<string, FunctionProperties> {
  const resources = template.findResources("AWS::Lambda::Function") as Record<
    string,
    { Properties: FunctionProperties }
  >;
  return Object.fromEntries(Object.entries(resources).map(([id, resource]) => [id, resource.Properties]));
}

describe("functions", () => {
  const { template } = buildStack();
  const functions = functionsOf(template);

  it("deploys exactly the API handler, the two scheduled jobs and their two workers", () => {
    expect(Object.keys(functions).sort()).toEqual([
      expect.stringMatching(/^ApiHandlerFunction/),
      expect.stringMatching(/^BillingImportHandlerFunction/),
      expect.stringMatching(/^BillingImportWorkerFunction/),
      expect.stringMatching(/^InventorySweepHandlerFunction/),
      expect.stringMatching(/^InventorySweepWorkerFunction/),
    ]);
  });

  it("runs every function on Node.js 22, arm64, with its own memory and timeout", () => {
    // Logical-id prefix → [MB, seconds]: the API fits API Gateway's 30 s, the jobs only enqueue,
    // the workers do the work (an inventory sweep of one credential may take Lambda's full 15 minutes).
    const sizing: Record<string, [number, number]> = {
      ApiHandler: [512, 15],
      BillingImportHandler: [512, 5 * 60],
      BillingImportWorker: [1024, 5 * 60],
      InventorySweepHandler: [512, 5 * 60],
      InventorySweepWorker: [1024, 15 * 60],
    };
    expect(
      Object.fromEntries(
        Object.entries(functions).map(([id, fn]) => {
          expect(fn.Runtime).toBe("nodejs22.x");
          expect(fn.Architectures).toEqual(["arm64"]);
          return [id.replace(/Function[0-9A-F]{8}$/, ""), [fn.MemorySize, fn.Timeout]];
        }),
      ),
    ).toEqual(sizing);
  });

  it("gives every function the shared run-time configuration with the built-in pool's claim names, plus its own queue URLs (the API its provider bounds)", () => {
    for (const [id, fn] of Object.entries(functions)) {
      // The API bounds provider checks to fit inside its own timeout.
      const apiOnly = id.startsWith("ApiHandler")
        ? { PROVIDER_TIMEOUT_MS: "3000", PROVIDER_MAX_RETRIES: "2", PROVIDER_RETRY_BASE_MS: "500" }
        : {};
      // The API sends to both queues; each job and its worker send to their own.
      const importQueue = id.startsWith("InventorySweep")
        ? {}
        : { IMPORT_QUEUE_URL: { Ref: expect.stringMatching(/^BillingImportQueue/) } };
      const inventoryQueue = id.startsWith("BillingImport")
        ? {}
        : { INVENTORY_QUEUE_URL: { Ref: expect.stringMatching(/^InventorySweepQueue/) } };
      expect(fn.Environment.Variables).toEqual({
        ...apiOnly,
        ...importQueue,
        ...inventoryQueue,
        DEPLOY_MODE: "aws",
        TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
        KMS_KEY_ID: { "Fn::GetAtt": [expect.stringMatching(/^DataSecretsKey/), "Arn"] },
        REPORTS_BUCKET: { Ref: expect.stringMatching(/^DataReportsBucket/) },
        TENANT_CLAIM: "custom:tenant",
        ROLES_CLAIM: "custom:roles",
        APP_VERSION: "9.9.9-test",
        LOG_LEVEL: "info",
        NODE_OPTIONS: "--enable-source-maps",
      });
    }
  });

  it("passes the claim names and allowed provider hosts from context", () => {
    const custom = functionsOf(
      buildStack({
        tenantClaim: "org",
        rolesClaim: "groups",
        allowedProviderHosts: "api.clever-cloud.com, api.eu-west-2.outscale.com",
      }).template,
    );
    for (const fn of Object.values(custom)) {
      expect(fn.Environment.Variables).toMatchObject({
        TENANT_CLAIM: "org",
        ROLES_CLAIM: "groups",
        ALLOWED_PROVIDER_HOSTS: "api.clever-cloud.com,api.eu-west-2.outscale.com",
      });
    }
  });

  it("uses the standard claim names with an external issuer", () => {
    const external = functionsOf(
      buildStack({ jwtIssuer: "https://issuer.example.com", jwtAudience: "vault" }).template,
    );
    for (const fn of Object.values(external)) {
      expect(fn.Environment.Variables).toMatchObject({ TENANT_CLAIM: "tenant", ROLES_CLAIM: "roles" });
    }
  });

  it("omits ALLOWED_PROVIDER_HOSTS when it is not configured", () => {
    for (const fn of Object.values(functions)) {
      expect(fn.Environment.Variables).not.toHaveProperty("ALLOWED_PROVIDER_HOSTS");
    }
  });

  it("writes each function's logs to its own log group with the configured retention", () => {
    const logGroupIds = Object.values(functions).map((fn) => fn.LoggingConfig.LogGroup.Ref);
    expect(new Set(logGroupIds).size).toBe(5);
    // Each function logs to the group of its own VaultFunction, never to a neighbour's.
    for (const [id, fn] of Object.entries(functions)) {
      expect(fn.LoggingConfig.LogGroup.Ref).toMatch(
        new RegExp(`^${id.replace(/Function[0-9A-F]{8}$/, "")}Logs[0-9A-F]{8}$`),
      );
    }
    const logGroups = template.findResources("AWS::Logs::LogGroup");
    for (const id of logGroupIds) expect(logGroups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it("sets retention on every log group, and honours logRetentionDays", () => {
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
    buildStack({ logRetentionDays: "90" }).template.allResourcesProperties("AWS::Logs::LogGroup", {
      RetentionInDays: 90,
    });
  });

  it("attaches no AWS managed policy to any function role", () => {
    template.allResourcesProperties("AWS::IAM::Role", { ManagedPolicyArns: Match.absent() });
  });
});
