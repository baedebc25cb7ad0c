import * as z from "zod";
import { identifierString, proxyUrlSchema, secretString } from "./fields";
import { OUTSCALE_REGIONS } from "./outscale-regions";
import type { ProviderDefinition } from "./types";

// Key formats as OUTSCALE's own CLI checks them client-side: 20 and 40 characters.
const accessKeySchema = z
  .string()
  .regex(/^[A-Z0-9]{20}$/, "must be 20 characters: uppercase letters and digits");
const secretKeySchema = z.string().regex(/^[A-Za-z0-9]{40}$/, "must be 40 letters and digits");

const regionSchema = z.enum(OUTSCALE_REGIONS, {
  error: `must be one of ${OUTSCALE_REGIONS.join(", ")}`,
});

export const outscaleSettingsSchema = z.strictObject({
  accessKey: identifierString("Access key id (20 characters)", accessKeySchema),
  secretKey: secretString("Secret key (40 characters)", secretKeySchema),
  accountId: z.string().regex(/^\d{12}$/, "must be the 12-digit account id"),
  region: regionSchema,
  proxy: proxyUrlSchema.optional(),
});

// S3 bucket naming rules (OOS follows them).
const bucketNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "must be a bucket name: 3-63 lowercase letters, digits, dots or hyphens",
  );

export const outscaleBillingSettingsSchema = z.strictObject({
  billingAccessKey: identifierString("Billing access key id (20 characters)", accessKeySchema),
  billingSecretKey: secretString("Billing secret key (40 characters)", secretKeySchema),
  buckets: z
    .array(
      z.strictObject({
        name: bucketNameSchema,
        region: regionSchema,
        prefix: z.string().max(1024).optional(),
      }),
    )
    .min(1, "at least one bucket")
    .max(20, "at most 20 buckets"),
});

export type OutscaleSettings = z.output<typeof outscaleSettingsSchema>;
export type OutscaleBillingSettings = z.output<typeof outscaleBillingSettingsSchema>;
/** One billing bucket of an `outscale-billing` credential. */
export type BillingBucket = OutscaleBillingSettings["buckets"][number];

export const outscaleProvider: ProviderDefinition<"outscale", OutscaleSettings> = {
  id: "outscale",
  title: "OUTSCALE (access key)",
  settingsSchema: outscaleSettingsSchema,
  secretFields: ["secretKey"],
  identifierFields: ["accessKey"],
  passwordUrlFields: ["proxy"],
  outboundUrlFields: { proxy: "proxy" },
  // FinOps reads ReadConsumptionAccount day by day; inventory lists every resource type.
  capabilities: { importer: "consumption-api", collector: true },
  defaultModes: ["inventory"],
};

export const outscaleBillingProvider: ProviderDefinition<"outscale-billing", OutscaleBillingSettings> = {
  id: "outscale-billing",
  title: "OUTSCALE billing (billing-only key and its buckets)",
  settingsSchema: outscaleBillingSettingsSchema,
  secretFields: ["billingSecretKey"],
  identifierFields: ["billingAccessKey"],
  passwordUrlFields: [],
  outboundUrlFields: {},
  capabilities: { importer: "buckets", collector: false },
  defaultModes: ["finops"],
};
