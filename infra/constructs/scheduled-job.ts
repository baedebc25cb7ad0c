import { Duration } from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { VaultFunction } from "./vault-function";

/**
 * ScheduledJob: an EventBridge rule that starts one VaultFunction on a schedule.
 *
 * Defaults:
 * - Schedule: any EventBridge expression, `rate(...)` or `cron(...)` (validated in config.ts).
 * - Handler: VaultFunction (NODEJS_22_X, ARM_64, 512 MB) with a 5-minute timeout.
 * - Target: up to 2 retries, events older than 1 hour are dropped (the next run catches up).
 *
 * Room to grow: the fan-out (an SQS queue with one message per credential and a worker
 * Lambda with bounded concurrency) belongs in this construct, beside `handler`.
 */
export interface ScheduledJobProps {
  /** File name under `functions/`, exporting `handler`. */
  readonly entryFile: string;
  readonly description: string;
  /** EventBridge schedule expression, e.g. `rate(1 day)`. */
  readonly schedule: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** @default 5 minutes */
  readonly timeout?: Duration;
}

export class ScheduledJob extends Construct {
  readonly handler: VaultFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);

    this.handler = new VaultFunction(this, "Handler", {
      entryFile: props.entryFile,
      description: props.description,
      environment: props.environment,
      logRetention: props.logRetention,
      timeout: props.timeout ?? Duration.minutes(5),
    });

    this.rule = new Rule(this, "Schedule", {
      description: `${props.description} (${props.schedule})`,
      schedule: Schedule.expression(props.schedule),
      targets: [
        new LambdaFunction(this.handler.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      ],
    });
  }
}
