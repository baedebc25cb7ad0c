import * as z from "zod";
import { baseUrlSchema, identifierString, secretString } from "./fields";
import type { ProviderDefinition } from "./types";

export const CLEVERCLOUD_API_HOST = "https://api.clever-cloud.com";
export const CLEVERCLOUD_BRIDGE_HOST = "https://api-bridge.clever-cloud.com";
export const SIGNATURE_METHODS = ["HMAC-SHA512", "HMAC-SHA1", "PLAINTEXT"] as const;

const organisationIdsSchema = z
  .array(z.string().regex(/^(orga|user)_[0-9a-f-]{36}$/, "must be an organisation id such as orga_<uuid>"))
  .max(100)
  .optional();

const oauth1Schema = z.strictObject({
  authType: z.literal("oauth1"),
  consumerKey: identifierString("OAuth consumer key"),
  consumerSecret: secretString("OAuth consumer secret"),
  token: identifierString("OAuth access token"),
  tokenSecret: secretString("OAuth access token secret"),
  signatureMethod: z
    .enum(SIGNATURE_METHODS, { error: `must be one of ${SIGNATURE_METHODS.join(", ")}` })
    .default("HMAC-SHA512"),
  apiVersion: z.literal("v2", { error: "must be v2" }).default("v2"),
  host: baseUrlSchema.default(CLEVERCLOUD_API_HOST),
  organisationIds: organisationIdsSchema,
});

const apiTokenSchema = z.strictObject({
  authType: z.literal("apiToken"),
  apiToken: secretString("API token (Bearer, for the API bridge)"),
  host: baseUrlSchema.default(CLEVERCLOUD_BRIDGE_HOST),
  expiresAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time" }).optional(),
  organisationIds: organisationIdsSchema,
});

export const clevercloudSettingsSchema = z.discriminatedUnion("authType", [oauth1Schema, apiTokenSchema], {
  error: "authType must be oauth1 or apiToken",
});

export type CleverCloudSettings = z.output<typeof clevercloudSettingsSchema>;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export const clevercloudProvider: ProviderDefinition<"clevercloud", CleverCloudSettings> = {
  id: "clevercloud",
  title: "Clever Cloud (OAuth 1 or API token)",
  settingsSchema: clevercloudSettingsSchema,
  secretFields: ["consumerSecret", "tokenSecret", "apiToken"],
  identifierFields: ["consumerKey", "token"],
  passwordUrlFields: [],
  outboundUrlFields: { host: "api-host" },
  // No FinOps importer for Clever Cloud yet: finops mode is refused until one exists.
  capabilities: { importer: null, collector: true },
  defaultModes: ["inventory"],
};
