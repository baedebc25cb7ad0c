import * as z from "zod";
import type {
  AssociateClusterInput,
  CreateCredentialInput,
  UpdateCredentialInput,
} from "../domain/credentials/model";
import { PROVIDERS, type ProviderCatalogue } from "../domain/providers/catalogue";
import { SIGNATURE_METHODS } from "../domain/providers/clevercloud";
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

function createInputFor<Id extends ProviderId>(provider: Id) {
  return z.strictObject({
    provider: z.literal(provider),
    name: credentialNameSchema,
    description: descriptionSchema.optional(),
    modes: modesSchema.optional(),
    tags: tagsSchema.optional(),
    settings: PROVIDERS[provider].settingsSchema as ProviderCatalogue[Id]["settingsSchema"],
  });
}

export const createCredentialInputSchema = z.discriminatedUnion(
  "provider",
  [createInputFor("clevercloud"), createInputFor("outscale"), createInputFor("outscale-billing")],
  { error: `provider must be one of ${PROVIDER_IDS.join(", ")}` },
);

export const updateCredentialInputSchema = z
  .strictObject({
    name: credentialNameSchema.optional(),
    description: descriptionSchema.nullable().optional(),
    modes: modesSchema.optional(),
    tags: tagsSchema.nullable().optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "the patch changes nothing: give at least one field");

export const associateClusterInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
});

export const startConnectInputSchema = z.strictObject({
  name: credentialNameSchema,
  consumerKey: z.string().min(1).max(256),
  consumerSecret: z.string().min(1).max(4096).meta({ writeOnly: true, "x-secret": true }),
  signatureMethod: z
    .enum(SIGNATURE_METHODS, { error: "must be HMAC-SHA512, HMAC-SHA1 or PLAINTEXT" })
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

// The body schemas produce exactly the use cases' inputs: a drift is a type error here.
createCredentialInputSchema satisfies z.ZodType<CreateCredentialInput, unknown>;
updateCredentialInputSchema satisfies z.ZodType<UpdateCredentialInput, unknown>;
associateClusterInputSchema satisfies z.ZodType<AssociateClusterInput, unknown>;
