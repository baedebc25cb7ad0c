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

describe("FinOps: billing-import queue and worker", () => {
  const { template } = buildStack();

  it("creates a queue and a dead-letter queue for each fan-out (billing import, inventory sweep), all SSE-SQS", () => {
    template.resourceCountIs("AWS::SQS::Queue", 4);
    template.allResourcesProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      KmsMasterKeyId: Match.absent(),
    });
  });

  it("redrives to the dead-letter queue after 3 receives, with a visibility timeout of 6 × the worker's 5 minutes", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      VisibilityTimeout: 1800,
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: {
        deadLetterTargetArn: {
          "Fn::GetAtt": [Match.stringLikeRegexp("^BillingImportDeadLetterQueue"), "Arn"],
        },
        maxReceiveCount: 3,
      },
    });
  });

  it("keeps dead letters for 14 days", () => {
    const queues = template.findResources("AWS::SQS::Queue");
    const dlq = Object.entries(queues).find(([id]) => id.startsWith("BillingImportDeadLetterQueue"));
    expect(dlq?.[1].Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it("denies every non-TLS request on both queues", () => {
    for (const queue of ["BillingImportQueue", "BillingImportDeadLetterQueue"]) {
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: Match.stringLikeRegexp(`^${queue}[0-9A-F]{8}$`) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              ...TLS_ONLY,
              Resource: { "Fn::GetAtt": [Match.stringLikeRegexp(`^${queue}[0-9A-F]{8}$`), "Arn"] },
            },
          ]),
        },
      });
    }
  });

  it("feeds the billing worker one message at a time, at most 5 at once, with partial batch failures", () => {
    template.resourceCountIs("AWS::Lambda::EventSourceMapping", 2);
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^BillingImportQueue"), "Arn"] },
      FunctionName: { Ref: Match.stringLikeRegexp("^BillingImportWorkerFunction") },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("feeds the inventory worker one credential at a time, at most 10 at once, with a 6 × 15 minutes visibility", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^InventorySweepQueue"), "Arn"] },
      FunctionName: { Ref: Match.stringLikeRegexp("^InventorySweepWorkerFunction") },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 10 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    template.hasResourceProperties("AWS::SQS::Queue", {
      VisibilityTimeout: 6 * 900,
      RedrivePolicy: {
        deadLetterTargetArn: {
          "Fn::GetAtt": [Match.stringLikeRegexp("^InventorySweepDeadLetterQueue"), "Arn"],
        },
        maxReceiveCount: 3,
      },
    });
  });

  it("runs the worker on Node.js 22, arm64, 1024 MB, for up to 5 minutes", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Handler: "index.handler",
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      MemorySize: 1024,
      Timeout: 300,
      Role: { "Fn::GetAtt": [Match.stringLikeRegexp("^BillingImportWorkerRole"), "Arn"] },
    });
  });

  it("hands the queue URL as IMPORT_QUEUE_URL to the API, the billing job and the worker, not to the sweep", () => {
    const functions = template.findResources("AWS::Lambda::Function");
    const withQueue = Object.entries(functions)
      .filter(([, fn]) => fn.Properties.Environment.Variables.IMPORT_QUEUE_URL !== undefined)
      .map(([id, fn]) => {
        expect(fn.Properties.Environment.Variables.IMPORT_QUEUE_URL).toEqual({
          Ref: expect.stringMatching(/^BillingImportQueue[0-9A-F]{8}$/),
        });
        return id.replace(/Function[0-9A-F]{8}$/, "");
      });
    expect(withQueue.sort()).toEqual(["ApiHandler", "BillingImportHandler", "BillingImportWorker"]);
  });
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
