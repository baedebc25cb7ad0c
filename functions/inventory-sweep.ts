import type { ScheduledEvent } from "aws-lambda";
import { parseConfig } from "../shared/config";
import { createLogger } from "../shared/logging";
import { wireWorkerServices } from "../shared/wiring-worker";

const config = parseConfig();
const logger = createLogger(config.LOG_LEVEL, { service: "inventory-sweep" });
// With the worker wired, the local stack's in-process queue can run the sweeps it enqueues.
const services = wireWorkerServices(config);

/** The schedule: one sweep message per credential in inventory mode, across tenants; workers sweep. */
export async function handler(
  event: Partial<ScheduledEvent> = {},
): Promise<{ started: number; failed: number }> {
  const credentials = (await services.credentials.listInMode("inventory")).filter((credential) =>
    ["outscale", "clevercloud"].includes(credential.provider),
  );
  let failed = 0;
  for (const credential of credentials) {
    try {
      await services.sweeps.start(
        { tenant: credential.tenant, subject: "schedule" },
        credential.id,
        "schedule",
      );
    } catch (error) {
      failed++;
      logger.error("inventory sweep could not start", {
        tenant: credential.tenant,
        credentialId: credential.id,
        errorMessage: error instanceof Error ? error.message : undefined,
      });
    }
  }
  logger.info("inventory schedule done", {
    trigger: event["detail-type"] ?? "manual",
    started: credentials.length - failed,
    failed,
  });
  return { started: credentials.length - failed, failed };
}
