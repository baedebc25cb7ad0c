import * as z from "zod";

/** A secret setting: accepted on write, marked in the JSON Schema, never read back. */
export function secretString(description: string, schema: z.ZodString = z.string().min(1).max(4096)) {
  return schema.meta({ description, writeOnly: true, "x-secret": true });
}

/** An identifier (access key, token): stored sealed, shown masked to its last 4 characters. */
export function identifierString(description: string, schema: z.ZodString = z.string().min(1).max(256)) {
  return schema.meta({ description, "x-masked": true });
}

/** An https (or, for local fakes, http) base address without query, fragment or credentials. */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://api.example.com" })
  .max(2048)
  .refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password && !url.search && !url.hash;
  }, "must not carry credentials, a query or a fragment");

/** `https://user:password@host:port`: the password part is secret. */
export const proxyUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "must be a URL such as https://user:password@proxy.example.com:3128",
      });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "must use https:// (or http:// in local mode)" });
    }
    if (!url.hostname) ctx.addIssue({ code: "custom", message: "must name a host" });
    if ((url.pathname && url.pathname !== "/") || url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: "must not have a path, a query or a fragment" });
    }
  })
  .meta({
    description: "HTTPS proxy, https://user:password@host:port; the password is secret",
    "x-secret-part": "password",
  });

export const tagsSchema = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((tags) => Object.keys(tags).length <= 50, "at most 50 tags");
