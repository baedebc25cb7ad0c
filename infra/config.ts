import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";
import { z } from "zod";

/**
 * Deploy-time configuration, read from CDK context (`-c key=value` or `cdk.json`).
 * Run-time configuration lives in `shared/config.ts`; this file feeds it through the
 * functions' environment. A bad value fails synth with the key's name.
 */

// `-c key=value` always arrives as a string; cdk.json may hold real numbers and arrays.
const hostList = z.preprocess(
  (value) =>
    typeof value === "string"
      ? value
          .split(",")
          .map((host) => host.trim())
          .filter((host) => host.length > 0)
      : value,
  z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, "expected host names like api.example.com")).min(1),
);

// EventBridge accepts `rate(...)` and `cron(...)`; catch typos here rather than at deploy.
const schedule = z.string().regex(/^(rate|cron)\(.+\)$/, "expected rate(...) or cron(...)");

// CloudWatch Logs accepts only these retention periods (in days).
const RETENTION_PERIODS = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === "number",
);
const retentionDays = z.coerce
  .number()
  .int()
  .refine((days) => RETENTION_PERIODS.includes(days), {
    message: `expected one of ${RETENTION_PERIODS.join(", ")}`,
  })
  .transform((days) => days as RetentionDays);

const deployConfigSchema = z
  .object({
    /** External OIDC issuer URL. Unset: the stack creates a Cognito user pool and uses it. */
    jwtIssuer: z.url({ protocol: /^https$/ }).optional(),
    /** Audience the JWT authorizer accepts; required with `jwtIssuer`. */
    jwtAudience: z.string().min(1).optional(),
    /** Claim names; default `tenant`/`roles`, or `custom:tenant`/`custom:roles` with the built-in pool. */
    tenantClaim: z.string().min(1).optional(),
    rolesClaim: z.string().min(1).optional(),
    billingImportSchedule: schedule.default("rate(1 day)"),
    inventorySweepSchedule: schedule.default("rate(6 hours)"),
    logRetentionDays: retentionDays.default(RetentionDays.ONE_MONTH),
    allowedProviderHosts: hostList.optional(),
  })
  .refine((config) => (config.jwtIssuer === undefined) === (config.jwtAudience === undefined), {
    message: "jwtIssuer and jwtAudience go together: set both or neither",
    path: ["jwtAudience"],
  });

export type DeployConfig = z.infer<typeof deployConfigSchema>;

export const CONTEXT_KEYS = [
  "jwtIssuer",
  "jwtAudience",
  "tenantClaim",
  "rolesClaim",
  "billingImportSchedule",
  "inventorySweepSchedule",
  "logRetentionDays",
  "allowedProviderHosts",
] as const;

export class DeployConfigError extends Error {}

/** Parses the known context keys; problems are reported as `key: message`. */
export function parseDeployConfig(context: Readonly<Record<string, unknown>>): DeployConfig {
  const parsed = deployConfigSchema.safeParse(context);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw new DeployConfigError(`invalid CDK context: ${problems.join("; ")}`);
  }
  return parsed.data;
}

// ["allowedProviderHosts", 1] -> "allowedProviderHosts[1]": the context key always comes first.
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i > 0 ? "." : ""}${String(part)}`))
    .join("");
}

/** Reads the config keys from a construct's context (App context, cdk.json, `-c`). */
export function readDeployConfig(node: Node): DeployConfig {
  const context: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) context[key] = value;
  }
  return parseDeployConfig(context);
}
