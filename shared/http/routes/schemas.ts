import * as z from "zod";
import { MODES, PROVIDER_IDS } from "../../domain/providers/types";

const limitSchema = z.coerce
  .number({ error: "must be a number from 1 to 100" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(100, "must be at most 100")
  .default(50);
const cursorSchema = z.string().min(1).max(2048).optional();

export const pageQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema });

export const listCredentialsQuerySchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema,
  provider: z.enum(PROVIDER_IDS, { error: `must be one of ${PROVIDER_IDS.join(", ")}` }).optional(),
  mode: z.enum(MODES, { error: `must be one of ${MODES.join(", ")}` }).optional(),
  q: z.string().min(1).max(64, "must be at most 64 characters").optional(),
});

export const auditQuerySchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema,
  credentialId: z.string().min(1).max(64).optional(),
});

/** `Idempotency-Key`: a client-chosen key, as the IETF draft describes it. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, "must be 1-255 visible ASCII characters")
  .optional();

/** `?validate=true` on create and patch: check the credential against the provider in the same call. */
export const validateQuerySchema = z.strictObject({
  validate: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
});
