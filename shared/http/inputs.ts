import * as z from "zod";
import { PROVIDERS } from "../domain/providers/catalogue";
import { tagsSchema } from "../domain/providers/fields";
import { MODES, PROVIDER_IDS, type ProviderId } from "../domain/providers/types";

export const credentialNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[^\p{Cc}]+$/u, "must not contain control characters");

const modesSchema = z
  .array(z.enum(MODES, { error: `must be one of ${MODES.join(", ")}` }))
  .min(1, "at least one mode")
  .refine((modes) => new Set(modes).size === modes.length, "must not repeat a mode");

const descriptionSchema = z.string().max(1024, "must be at most 1024 characters");

function createInputFor(provider: ProviderId) {
  return z.strictObject({
    provider: z.literal(provider),
    name: credentialNameSchema,
    description: descriptionSchema.optional(),
    modes: modesSchema.optional(),
    tags: tagsSchema.optional(),
    settings: PROVIDERS[provider].settingsSchema,
  });
}

export const createCredentialInputSchema = z.discriminatedUnion(
  "provider",
  [createInputFor("clevercloud"), createInputFor("outscale"), createInputFor("outscale-billing")],
  { error: `provider must be one of ${PROVIDER_IDS.join(", ")}` },
);
export type CreateCredentialInput = z.infer<typeof createCredentialInputSchema>;

/** A patch: rename, describe, retag, change modes, edit or rotate settings (null removes a field). */
export const updateCredentialInputSchema = z
  .strictObject({
    name: credentialNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    modes: modesSchema.optional(),
    tags: tagsSchema.nullable().optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "the patch changes nothing: give at least one field");
export type UpdateCredentialInput = z.infer<typeof updateCredentialInputSchema>;

export const associateClusterInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
});
export type AssociateClusterInput = z.infer<typeof associateClusterInputSchema>;

export const clusterIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    "must be 1-128 letters, digits, dots, colons, underscores or hyphens",
  );

export const credentialIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "is not a credential id");

export const startConnectInputSchema = z.strictObject({
  name: credentialNameSchema,
  consumerKey: z.string().min(1).max(256),
  consumerSecret: z.string().min(1).max(4096).meta({ writeOnly: true, "x-secret": true }),
  signatureMethod: z
    .enum(["HMAC-SHA512", "HMAC-SHA1", "PLAINTEXT"], { error: "must be HMAC-SHA512, HMAC-SHA1 or PLAINTEXT" })
    .default("HMAC-SHA512"),
  callbackUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .max(2048)
    .optional(),
  description: descriptionSchema.optional(),
  modes: modesSchema.optional(),
  tags: tagsSchema.optional(),
});

export const connectCallbackQuerySchema = z.object({
  tenant: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, "is not a tenant id"),
  connect: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "is not a connection id"),
  oauth_token: z.string().min(1).max(512),
  oauth_verifier: z.string().min(1).max(512),
});
