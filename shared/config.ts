import * as z from "zod";

/**
 * Run-time configuration, parsed once at start. A bad or missing variable fails with its name,
 * so a misconfigured Lambda dies at init with a readable message instead of on the first request.
 */
const runtimeConfigSchema = z.object({
  /** `aws` when deployed; `local` for `npm start` and tests (allows loopback provider hosts). */
  DEPLOY_MODE: z.enum(["aws", "local"]).default("aws"),
  TABLE_NAME: z.string().min(1),
  /** KMS key (id, ARN or alias) for envelope encryption. Unused in local mode. */
  KMS_KEY_ID: z.string().min(1).optional(),
  /** Path of the local master key file (local mode only). */
  LOCAL_KEY_FILE: z.string().min(1).optional(),
  REPORTS_BUCKET: z.string().min(1).optional(),
  /** SQS queue of import messages; unset locally, where an in-process queue runs them. */
  IMPORT_QUEUE_URL: z.url().optional(),
  /** SQS queue of inventory sweeps (one message per credential); in-process when unset. */
  INVENTORY_QUEUE_URL: z.url().optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /** JWT claim holding the tenant id, and the one holding the roles. */
  TENANT_CLAIM: z.string().min(1).default("tenant"),
  ROLES_CLAIM: z.string().min(1).default("roles"),
  APP_VERSION: z.string().min(1).default("0.1.0"),
  /** Provider base addresses, each defaulting to the real one; `{region}` is filled per credential. */
  CLEVERCLOUD_API_URL: z.url().default("https://api.clever-cloud.com"),
  OUTSCALE_API_URL_TEMPLATE: z.string().min(1).default("https://api.{region}.outscale.com/api/v1"),
  OUTSCALE_OOS_URL_TEMPLATE: z.string().min(1).default("https://oos.{region}.outscale.com"),
  /** Timeout of each outbound attempt, and the base delay of the retry backoff. */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8000),
  PROVIDER_RETRY_BASE_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** Retries after the first attempt on 429/500/503 (OUTSCALE advises 3). */
  PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(3),
  /** Hosts users may point credentials at besides the official ones (comma-separated). */
  ALLOWED_PROVIDER_HOSTS: z
    .string()
    .default("")
    .transform((hosts) =>
      hosts
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Whether user-supplied hosts and proxies may be loopback or private: default only in local mode. */
  ALLOW_PRIVATE_PROVIDER_HOSTS: z.enum(["true", "false"]).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

/** Local mode talks to fakes on loopback; deployed, user-supplied hosts must be public. */
export function allowsPrivateProviderHosts(config: RuntimeConfig): boolean {
  return config.ALLOW_PRIVATE_PROVIDER_HOSTS
    ? config.ALLOW_PRIVATE_PROVIDER_HOSTS === "true"
    : config.DEPLOY_MODE === "local";
}

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const parsed = runtimeConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  const config = parsed.data;
  if (config.DEPLOY_MODE === "aws" && !config.KMS_KEY_ID) {
    throw new ConfigError("invalid configuration: KMS_KEY_ID: required when DEPLOY_MODE is aws");
  }
  if (config.DEPLOY_MODE === "local" && !config.LOCAL_KEY_FILE) {
    throw new ConfigError("invalid configuration: LOCAL_KEY_FILE: required when DEPLOY_MODE is local");
  }
  return config;
}
