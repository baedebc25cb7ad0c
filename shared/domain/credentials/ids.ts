import * as z from "zod";

/** Credential ids are ULIDs (Crockford base 32): anything else names no credential. */
export const credentialIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "is not a credential id");

/** The caller's own cluster ids: short, and safe inside a key and a URL path. */
export const clusterIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    "must be 1-128 letters, digits, dots, colons, underscores or hyphens",
  );
