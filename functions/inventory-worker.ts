import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as z from "zod";
import { parseConfig } from "../shared/config";
import { createLogger } from "../shared/logging";
import { wireWorkerServices } from "../shared/wiring-worker";

const config = parseConfig();
const logger = createLogger(config.LOG_LEVEL, { service: "inventory-worker" });
const services = wireWorkerServices(config);

const messageSchema = z.object({
  kind: z.literal("sweep"),
  tenant: z.string(),
  credentialId: z.string(),
  runId: z.string(),
});

/** SQS worker: one message sweeps one credential; a failure is redelivered (the lease keeps sweeps apart). */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      await services.sweeps.handle(messageSchema.parse(JSON.parse(record.body)));
    } catch (error) {
      logger.error("inventory sweep failed", {
        messageId: record.messageId,
        errorName: error instanceof Error ? error.name : "unknown",
        errorMessage: error instanceof Error ? error.message : undefined,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
