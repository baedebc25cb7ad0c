import type { ScheduledEvent } from "aws-lambda";
import { parseConfig } from "../shared/config";
import { createLogger } from "../shared/logging";
import { wireWorkerServices } from "../shared/wiring-worker";

const config = parseConfig();
const logger = createLogger(config.LOG_LEVEL, { service: "billing-import" });
const services = wireWorkerServices(config);

/**
 * The schedule: for every billing credential in finops mode, start an import run and list its
 * buckets, enqueueing one message per object; workers import the objects. One credential that
 * fails to list (a revoked key) is logged and does not stop the others.
 */
export async function handler(
  event: Partial<ScheduledEvent> = {},
): Promise<{ started: number; failed: number }> {
  const credentials = (await services.credentials.listInMode("finops")).filter(
    (credential) => credential.provider === "outscale-billing",
  );
  let failed = 0;
  for (const credential of credentials) {
    try {
      const run = await services.billingImports.start(
        { tenant: credential.tenant, subject: "schedule" },
        credential.id,
        "schedule",
        { enumerateNow: true },
      );
      logger.info("billing import started", {
        tenant: credential.tenant,
        credentialId: credential.id,
        importId: run.id,
      });
    } catch (error) {
      failed++;
      logger.error("billing import could not start", {
        tenant: credential.tenant,
        credentialId: credential.id,
        errorName: error instanceof Error ? error.name : "unknown",
        errorMessage: error instanceof Error ? error.message : undefined,
      });
    }
  }
  logger.info("billing import schedule done", {
    trigger: event["detail-type"] ?? "manual",
    started: credentials.length - failed,
    failed,
  });
  return { started: credentials.length - failed, failed };
}
