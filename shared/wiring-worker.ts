import { S3Client } from "@aws-sdk/client-s3";
import { S3FocusSink } from "./adapters/s3/focus-sink";
import { S3InventoryReports } from "./adapters/s3/inventory-reports";
import type { RuntimeConfig } from "./config";
import type { ImportProgress, ImportWorkerDeps } from "./domain/billing/imports";
import { processBillingObject } from "./domain/billing/process";
import { focusCsvStream } from "./domain/finops/focus-csv";
import type { SweepWorkerDeps } from "./domain/inventory/sweeps";
import type { ApiServices } from "./http/services";
import { createLogger } from "./logging";
import { inventoryCollectors } from "./providers/collectors";
import { OosBillingBucketReader } from "./providers/outscale/billing-bucket";
import { OutscaleConsumptionApi } from "./providers/outscale/consumption";
import { providerEnvironment, wireServices } from "./wiring";

/*
 * The worker side of the imports (S3 SDK, parsers, FOCUS writer), kept out of shared/wiring.ts so
 * the API Lambda, which only queues imports, does not bundle it. The scheduled job, the worker and
 * the local stack (whose in-process queue runs imports) wire through here.
 */

/** The reports bucket: s3rver locally (path-style, its fixed key), the real S3 deployed. */
export function reportsS3Client(config: RuntimeConfig): S3Client {
  return config.DEPLOY_MODE === "local"
    ? new S3Client({
        endpoint: config.S3_ENDPOINT,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      })
    : new S3Client({});
}
/** One log line per imported file, with its pace: progress on long imports, locally and in CloudWatch. */
function importProgressLog(config: RuntimeConfig): ImportProgress {
  const logger = createLogger(config.LOG_LEVEL, { service: "billing-import" });
  return {
    fileDone: (info) =>
      logger.info("billing file done", {
        ...info,
        rowsPerSecond: Math.round(info.rows / Math.max(info.seconds, 0.001)),
      }),
  };
}
export function importWorkerDeps(config: RuntimeConfig): ImportWorkerDeps {
  const environment = providerEnvironment(config);
  return {
    reader: new OosBillingBucketReader(environment),
    consumptionApi: new OutscaleConsumptionApi(environment),
    sink: new S3FocusSink(reportsS3Client(config), config.REPORTS_BUCKET ?? "reports", () =>
      focusCsvStream(),
    ),
    processObject: processBillingObject,
    progress: importProgressLog(config),
  };
}

export function sweepWorkerDeps(config: RuntimeConfig): SweepWorkerDeps {
  const logger = createLogger(config.LOG_LEVEL, { service: "inventory-sweep" });
  return {
    worker: {
      collectors: inventoryCollectors(providerEnvironment(config)),
      reports: new S3InventoryReports(reportsS3Client(config), config.REPORTS_BUCKET ?? "reports"),
    },
    progress: (info) => logger.info("inventory type swept", info),
  };
}

/** Everything the API has, plus the import and sweep workers. */
export function wireWorkerServices(config: RuntimeConfig): ApiServices {
  return wireServices(config, {
    importWorker: importWorkerDeps(config),
    sweepWorker: sweepWorkerDeps(config),
  });
}
