import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as z from "zod";
import { parseConfig } from "../shared/config";
import type { ImportMessage } from "../shared/domain/billing/model";
import { createLogger } from "../shared/logging";
import { wireWorkerServices } from "../shared/wiring-worker";

const config = parseConfig();
const logger = createLogger(config.LOG_LEVEL, { service: "billing-import-worker" });
const services = wireWorkerServices(config);

const objectSchema = z.object({
  bucket: z.string(),
  region: z.string(),
  key: z.string(),
  etag: z.string(),
  size: z.number(),
});
const messageSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("credential"),
    tenant: z.string(),
    credentialId: z.string(),
    importId: z.string(),
  }),
  z.object({
    kind: z.literal("object"),
    tenant: z.string(),
    credentialId: z.string(),
    importId: z.string(),
    object: objectSchema,
  }),
]);

/** SQS worker: each message lists a credential's buckets or imports one object; failures are redelivered. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      const message: ImportMessage = messageSchema.parse(JSON.parse(record.body));
      await services.billingImports.handle(message);
    } catch (error) {
      logger.error("billing import message failed", {
        messageId: record.messageId,
        errorName: error instanceof Error ? error.name : "unknown",
        errorMessage: error instanceof Error ? error.message : undefined,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
