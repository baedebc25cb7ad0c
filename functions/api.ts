import { parseConfig } from "../shared/config";
import { createApiHandler } from "../shared/http/api-handler";
import { createLogger } from "../shared/logging";
import { wireServices } from "../shared/wiring";

// Parsed once per container: a bad variable fails the cold start with its name.
const config = parseConfig();

export const handler = createApiHandler({
  services: wireServices(config),
  logger: createLogger(config.LOG_LEVEL, { service: "api" }),
  claimNames: { tenant: config.TENANT_CLAIM, roles: config.ROLES_CLAIM },
});
