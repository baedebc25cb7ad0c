import { Duration } from "aws-cdk-lib";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { grantQueueSend } from "../access";
import { VaultFunction } from "./vault-function";

/**
 * ScheduledJob: an EventBridge rule that starts one VaultFunction on a schedule, and optionally
 * a fan-out: an SQS queue the scheduled function fills and a worker Lambda that drains it.
 *
 * Defaults:
 * - Schedule: any EventBridge expression, `rate(...)` or `cron(...)` (validated in config.ts).
 * - Handler: VaultFunction (NODEJS_22_X, ARM_64, 512 MB) with a 5-minute timeout.
 * - Target: up to 2 retries, events older than 1 hour are dropped (the next run catches up).
 *
 * With `worker`:
 * - Queue: SQS-managed encryption (SSE-SQS, so no KMS grants), TLS-only queue policy,
 *   visibility timeout = 6 × the worker's timeout (AWS's advice for Lambda event sources, so a
 *   message is not redelivered while a batch, its retries and throttling are still in flight),
 *   4 days retention, redrive to the dead-letter queue after 3 receives.
 * - Dead-letter queue: SSE-SQS, TLS only, 14 days retention (the maximum: longer than the
 *   queue's, since a standard queue's messages keep their first enqueue time).
 * - Worker: VaultFunction (5-minute timeout and 512 MB unless given) with an SQS event source:
 *   batch size 1, maximum concurrency 5, partial batch responses (`ReportBatchItemFailures`).
 * - The scheduled function and the worker may `sqs:SendMessage` on the queue (the worker can
 *   re-enqueue a continuation); both get the queue URL as `worker.queueUrlEnv`. The event source
 *   grants the worker the consume actions (Receive/Delete/ChangeMessageVisibility/GetQueueAttributes/GetQueueUrl).
 * - Other grants (table, key, bucket) are the stack's (see `access.ts`).
 */
export interface ScheduledJobWorkerProps {
  /** File name under `functions/`, exporting `handler` (an SQS handler returning batch item failures). */
  readonly entryFile: string;
  readonly description: string;
  /** @default 5 minutes */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Messages per invocation (1 to 10). @default 1 */
  readonly batchSize?: number;
  /** Concurrent worker invocations the event source may run (2 to 1000). @default 5 */
  readonly maxConcurrency?: number;
  /** Name of the environment variable that carries the queue URL. @default "QUEUE_URL" */
  readonly queueUrlEnv?: string;
}

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
  /** A queue + worker fan-out. @default none */
  readonly worker?: ScheduledJobWorkerProps;
}

/** The fan-out of a ScheduledJob created with `worker`. */
export interface ScheduledJobFanOut {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: VaultFunction;
  /** The environment variable that carries `queue.queueUrl`. */
  readonly queueUrlEnv: string;
}

/** Lambda event sources: AWS advises a queue visibility timeout of six times the function's timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

export class ScheduledJob extends Construct {
  readonly handler: VaultFunction;
  readonly rule: Rule;
  readonly fanOut?: ScheduledJobFanOut;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);

    const queues = props.worker && this.createQueues(props.worker);
    const queueUrlEnv = props.worker?.queueUrlEnv ?? "QUEUE_URL";
    const environment = {
      ...props.environment,
      ...(queues && { [queueUrlEnv]: queues.queue.queueUrl }),
    };

    this.handler = new VaultFunction(this, "Handler", {
      entryFile: props.entryFile,
      description: props.description,
      environment,
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

    if (props.worker && queues) {
      const worker = new VaultFunction(this, "Worker", {
        entryFile: props.worker.entryFile,
        description: props.worker.description,
        environment,
        logRetention: props.logRetention,
        timeout: workerTimeout(props.worker),
        memorySize: props.worker.memorySize ?? 512,
      });
      worker.function.addEventSource(
        new SqsEventSource(queues.queue, {
          batchSize: props.worker.batchSize ?? 1,
          maxConcurrency: props.worker.maxConcurrency ?? 5,
          reportBatchItemFailures: true,
        }),
      );
      grantQueueSend(queues.queue, this.handler);
      grantQueueSend(queues.queue, worker);
      this.fanOut = { ...queues, worker, queueUrlEnv };
    }
  }

  private createQueues(worker: ScheduledJobWorkerProps): { queue: Queue; deadLetterQueue: Queue } {
    const deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const queue = new Queue(this, "Queue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(workerTimeout(worker).toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 3 },
    });
    return { queue, deadLetterQueue };
  }
}

function workerTimeout(worker: ScheduledJobWorkerProps): Duration {
  return worker.timeout ?? Duration.minutes(5);
}
