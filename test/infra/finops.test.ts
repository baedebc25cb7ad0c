import { App, Duration, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { ScheduledJob } from "../../infra/constructs/scheduled-job";
import { FOCUS_COLUMNS } from "../../shared/domain/finops/focus";
import { buildStack } from "./stack-fixture";

const TLS_ONLY = {
  Effect: "Deny",
  Action: "sqs:*",
  Principal: { AWS: "*" },
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** The two fan-outs of the stack: each scheduled job fills its own queue, drained by its own worker. */
const FAN_OUTS = [
  { job: "BillingImport", queueUrlEnv: "IMPORT_QUEUE_URL", workerTimeout: 5 * 60, maxConcurrency: 5 },
  { job: "InventorySweep", queueUrlEnv: "INVENTORY_QUEUE_URL", workerTimeout: 15 * 60, maxConcurrency: 10 },
] as const;

describe("fan-outs: billing-import and inventory-sweep queues and workers", () => {
  const { template } = buildStack();
  const queues = template.findResources("AWS::SQS::Queue");
  const functions = template.findResources("AWS::Lambda::Function");
  /** The one logical id `<prefix><8 hex>` among `resources` (fails on none or several). */
  const idOf = (resources: Record<string, unknown>, prefix: string): string => {
    const ids = Object.keys(resources).filter((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
    expect(ids).toHaveLength(1);
    return ids[0] as string;
  };

  it("creates a queue and its own dead-letter queue for each fan-out, all SSE-SQS", () => {
    expect(Object.keys(queues).sort()).toEqual([
      expect.stringMatching(/^BillingImportDeadLetterQueue[0-9A-F]{8}$/),
      expect.stringMatching(/^BillingImportQueue[0-9A-F]{8}$/),
      expect.stringMatching(/^InventorySweepDeadLetterQueue[0-9A-F]{8}$/),
      expect.stringMatching(/^InventorySweepQueue[0-9A-F]{8}$/),
    ]);
    template.allResourcesProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      KmsMasterKeyId: Match.absent(),
    });
  });

  for (const { job, workerTimeout } of FAN_OUTS) {
    it(`redrives the ${job} queue to its own dead-letter queue after 3 receives, visibility 6 × its worker's ${workerTimeout / 60} minutes`, () => {
      const worker = functions[idOf(functions, `${job}WorkerFunction`)];
      expect(worker?.Properties.Timeout).toBe(workerTimeout);
      expect(queues[idOf(queues, `${job}Queue`)]?.Properties).toEqual({
        VisibilityTimeout: 6 * workerTimeout,
        MessageRetentionPeriod: 4 * 24 * 3600,
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [idOf(queues, `${job}DeadLetterQueue`), "Arn"] },
          maxReceiveCount: 3,
        },
        SqsManagedSseEnabled: true,
      });
    });
  }

  it("keeps each fan-out's dead letters for 14 days", () => {
    for (const { job } of FAN_OUTS) {
      expect(queues[idOf(queues, `${job}DeadLetterQueue`)]?.Properties).toEqual({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
    }
  });

  it("denies every non-TLS request on all four queues, each through its own policy", () => {
    const policies = Object.values(template.findResources("AWS::SQS::QueuePolicy"));
    expect(policies).toHaveLength(4);
    for (const { job } of FAN_OUTS) {
      for (const queueId of [idOf(queues, `${job}Queue`), idOf(queues, `${job}DeadLetterQueue`)]) {
        const own = policies.filter((policy) => policy.Properties.Queues[0]?.Ref === queueId);
        expect(own.map((policy) => policy.Properties)).toEqual([
          {
            Queues: [{ Ref: queueId }],
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [{ ...TLS_ONLY, Resource: { "Fn::GetAtt": [queueId, "Arn"] } }],
            },
          },
        ]);
      }
    }
  });

  it("feeds each worker from its own queue, one message at a time (billing at most 5 at once, inventory 10), with partial batch failures", () => {
    const mappings = Object.values(template.findResources("AWS::Lambda::EventSourceMapping")).map(
      (mapping) => mapping.Properties,
    );
    expect(mappings).toHaveLength(2);
    for (const { job, maxConcurrency } of FAN_OUTS) {
      expect(mappings).toContainEqual({
        EventSourceArn: { "Fn::GetAtt": [idOf(queues, `${job}Queue`), "Arn"] },
        FunctionName: { Ref: idOf(functions, `${job}WorkerFunction`) },
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: maxConcurrency },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    }
  });

  it("runs both workers on Node.js 22, arm64, 1024 MB, the billing worker for up to 5 minutes, the inventory worker 15", () => {
    for (const { job, workerTimeout } of FAN_OUTS) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        Handler: "index.handler",
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        MemorySize: 1024,
        Timeout: workerTimeout,
        Role: { "Fn::GetAtt": [Match.stringLikeRegexp(`^${job}WorkerRole`), "Arn"] },
      });
    }
  });

  for (const { job, queueUrlEnv } of FAN_OUTS) {
    it(`hands the ${job} queue URL as ${queueUrlEnv} to the API, its own job and its worker, and no other function`, () => {
      const withQueue = Object.entries(functions)
        .filter(([, fn]) => fn.Properties.Environment.Variables[queueUrlEnv] !== undefined)
        .map(([id, fn]) => {
          expect(fn.Properties.Environment.Variables[queueUrlEnv]).toEqual({
            Ref: idOf(queues, `${job}Queue`),
          });
          return id.replace(/Function[0-9A-F]{8}$/, "");
        });
      expect(withQueue.sort()).toEqual(["ApiHandler", `${job}Handler`, `${job}Worker`]);
    });
  }
});

describe("ScheduledJob fan-out defaults", () => {
  function jobStack(worker?: ConstructorParameters<typeof ScheduledJob>[2]["worker"]) {
    const app = new App({ context: { "aws:cdk:bundling-stacks": [] } });
    const stack = new Stack(app, "Jobs");
    const job = new ScheduledJob(stack, "Job", {
      entryFile: "billing-import.ts",
      description: "A job",
      schedule: "rate(1 hour)",
      environment: { LOG_LEVEL: "info" },
      logRetention: RetentionDays.ONE_WEEK,
      worker,
    });
    return { job, template: Template.fromStack(stack) };
  }

  it("creates no queue and no worker without `worker`", () => {
    const { job, template } = jobStack();
    expect(job.fanOut).toBeUndefined();
    template.resourceCountIs("AWS::SQS::Queue", 0);
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 0);
    template.resourceCountIs("AWS::Lambda::Function", 1);
  });

  it("defaults to batch size 1, concurrency 5, 5-minute 512 MB worker, QUEUE_URL, 30-minute visibility", () => {
    const { job, template } = jobStack({ entryFile: "billing-import-worker.ts", description: "Worker" });
    expect(job.fanOut?.queueUrlEnv).toBe("QUEUE_URL");
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Description: "Worker",
      MemorySize: 512,
      Timeout: 300,
      Environment: {
        Variables: Match.objectLike({ QUEUE_URL: { Ref: Match.stringLikeRegexp("^JobQueue") } }),
      },
    });
    template.hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 1800 });
  });

  it("derives the visibility timeout from the worker's timeout and passes its settings through", () => {
    const { template } = jobStack({
      entryFile: "billing-import-worker.ts",
      description: "Worker",
      timeout: Duration.minutes(2),
      memorySize: 2048,
      batchSize: 10,
      maxConcurrency: 20,
      queueUrlEnv: "WORK_QUEUE_URL",
    });
    template.hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 720 });
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 20 },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Description: "A job",
      Environment: {
        Variables: Match.objectLike({ WORK_QUEUE_URL: { Ref: Match.stringLikeRegexp("^JobQueue") } }),
      },
    });
  });

  it("needs no SQS acknowledgement: a queue without a DLQ or TLS policy would be reported", () => {
    const { job } = jobStack({ entryFile: "billing-import-worker.ts", description: "Worker" });
    const stack = Stack.of(job);
    new Queue(stack, "Careless", { encryption: QueueEncryption.UNENCRYPTED });
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.filter((violation) => violation.ruleName.startsWith("AwsSolutions-SQS"))
      .flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      );
    expect(findings.sort()).toEqual([
      "AwsSolutions-SQS2 at Jobs/Careless/Resource",
      "AwsSolutions-SQS3 at Jobs/Careless/Resource",
      "AwsSolutions-SQS4 at Jobs/Careless/Resource",
    ]);
  });
});

describe("FinOps: Glue catalog of the FOCUS cost files", () => {
  const { template } = buildStack();
  const bucketRef = { Ref: expect.stringMatching(/^DataReportsBucket/) };
  const table = () => {
    const tables = Object.values(template.findResources("AWS::Glue::Table"));
    expect(tables).toHaveLength(1);
    return tables[0]?.Properties;
  };

  it("creates the credential_vault database and the external focus_costs table in it", () => {
    template.resourceCountIs("AWS::Glue::Database", 1);
    template.hasResourceProperties("AWS::Glue::Database", {
      CatalogId: { Ref: "AWS::AccountId" },
      DatabaseInput: Match.objectLike({ Name: "credential_vault" }),
    });
    expect(table()).toMatchObject({
      CatalogId: { Ref: "AWS::AccountId" },
      DatabaseName: "credential_vault",
      TableInput: { Name: "focus_costs", TableType: "EXTERNAL_TABLE" },
    });
  });

  it("reads CSV under s3://<reports bucket>/finops/ with OpenCSVSerde, skipping the header line", () => {
    const input = table()?.TableInput;
    expect(input.StorageDescriptor).toMatchObject({
      Location: { "Fn::Join": ["", ["s3://", bucketRef, "/finops/"]] },
      InputFormat: "org.apache.hadoop.mapred.TextInputFormat",
      OutputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
      SerdeInfo: {
        SerializationLibrary: "org.apache.hadoop.hive.serde2.OpenCSVSerde",
        Parameters: { separatorChar: ",", quoteChar: '"', escapeChar: "\\" },
      },
    });
    expect(input.Parameters).toMatchObject({ classification: "csv", "skip.header.line.count": "1" });
  });

  it("declares the FOCUS columns in file order, all strings, lower-cased as Athena reports them", () => {
    const columns = table()?.TableInput.StorageDescriptor.Columns as Array<{ Name: string; Type: string }>;
    const names = columns.map((column) => column.Name);
    // OpenCSVSerde maps by position: the catalog must follow the order the worker writes.
    expect(names).toEqual(FOCUS_COLUMNS.map((name) => name.toLowerCase()));
    expect(names).toEqual(expect.arrayContaining(["billedcost", "chargeperiodstart", "x_credentialid"]));
    expect(new Set(names).size).toBe(names.length);
    for (const column of columns) {
      expect(column.Name).toMatch(/^[a-z_]+$/);
      expect(column.Type).toBe("string");
    }
    expect(names).not.toContain("tenant");
    expect(names).not.toContain("billing_month");
  });

  it("partitions by tenant and billing month through partition projection", () => {
    const input = table()?.TableInput;
    expect(input.PartitionKeys).toEqual([
      { Name: "tenant", Type: "string" },
      { Name: "billing_month", Type: "string" },
    ]);
    expect(input.Parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.tenant.type": "injected",
      "projection.billing_month.type": "date",
      "projection.billing_month.format": "yyyy-MM",
      "projection.billing_month.range": "2020-01,NOW",
      "projection.billing_month.interval": "1",
      "projection.billing_month.interval.unit": "MONTHS",
      "storage.location.template": {
        "Fn::Join": ["", ["s3://", bucketRef, `/finops/tenant=\${tenant}/billing_month=\${billing_month}/`]],
      },
    });
  });

  it("outputs the Glue database and table names", () => {
    expect(template.findOutputs("FocusDatabaseName").FocusDatabaseName?.Value).toBe("credential_vault");
    expect(template.findOutputs("FocusTableName").FocusTableName?.Value).toBe("focus_costs");
  });
});
