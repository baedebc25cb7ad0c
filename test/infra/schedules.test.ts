import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildStack } from "./stack-fixture";

function scheduleByTarget(template: ReturnType<typeof buildStack>["template"]): Record<string, string> {
  const rules = template.findResources("AWS::Events::Rule");
  return Object.fromEntries(
    Object.values(rules).map((rule) => {
      const targetArn = rule.Properties.Targets[0].Arn["Fn::GetAtt"][0] as string;
      return [targetArn.replace(/HandlerFunction.*$/, ""), rule.Properties.ScheduleExpression as string];
    }),
  );
}

describe("schedules", () => {
  it("runs the billing import daily and the inventory sweep every 6 hours by default", () => {
    const { template } = buildStack();
    template.resourceCountIs("AWS::Events::Rule", 2);
    expect(scheduleByTarget(template)).toEqual({
      BillingImport: "rate(1 day)",
      InventorySweep: "rate(6 hours)",
    });
  });

  it("takes a schedule from context without touching the other one", () => {
    const { template } = buildStack({ inventorySweepSchedule: "cron(0 3 * * ? *)" });
    expect(scheduleByTarget(template)).toEqual({
      BillingImport: "rate(1 day)",
      InventorySweep: "cron(0 3 * * ? *)",
    });
  });

  it("lets EventBridge invoke each job function, and only from its own rule", () => {
    const { template } = buildStack();
    for (const job of ["BillingImport", "InventorySweep"]) {
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
        FunctionName: { "Fn::GetAtt": [Match.stringLikeRegexp(`^${job}HandlerFunction`), "Arn"] },
        SourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp(`^${job}Schedule`), "Arn"] },
      });
    }
  });

  it("gives scheduled jobs five minutes and bounded retries", () => {
    const { template } = buildStack();
    template.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: Match.absent(),
      Timeout: 300,
      Description: Match.stringLikeRegexp("billing"),
    });
    template.allResourcesProperties("AWS::Events::Rule", {
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }),
      ],
    });
  });
});
