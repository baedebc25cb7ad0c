import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { parseDeployConfig, readDeployConfig } from "../../infra/config";

describe("deploy-time config", () => {
  it("defaults to the built-in issuer, daily import and 6-hourly sweep", () => {
    expect(parseDeployConfig({})).toEqual({
      billingImportSchedule: "rate(1 day)",
      inventorySweepSchedule: "rate(6 hours)",
      logRetentionDays: 30,
    });
  });

  it("reads string values as `-c key=value` delivers them", () => {
    const app = new App({
      context: {
        logRetentionDays: "90",
        allowedProviderHosts: "api.clever-cloud.com,fcu.eu-west-2.outscale.com",
      },
    });
    expect(readDeployConfig(app.node)).toMatchObject({
      logRetentionDays: 90,
      allowedProviderHosts: ["api.clever-cloud.com", "fcu.eu-west-2.outscale.com"],
    });
  });

  it.each([
    ["billingImportSchedule", { billingImportSchedule: "every day" }],
    ["inventorySweepSchedule", { inventorySweepSchedule: "" }],
    ["logRetentionDays", { logRetentionDays: "31" }],
    ["logRetentionDays", { logRetentionDays: "a month" }],
    ["jwtIssuer", { jwtIssuer: "http://insecure.example.com", jwtAudience: "vault" }],
    ["jwtAudience", { jwtIssuer: "https://login.example.com" }],
    ["allowedProviderHosts", { allowedProviderHosts: "https://api.example.com/path" }],
    ["tenantClaim", { tenantClaim: "" }],
  ])("refuses a bad %s and names it", (key, context) => {
    const app = new App({ context });
    expect(() => readDeployConfig(app.node)).toThrow(new RegExp(`\\b${key}(\\[\\d+\\])?: `));
  });
});
