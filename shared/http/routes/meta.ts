import * as z from "zod";
import { allowedModes, PROVIDERS } from "../../domain/providers/catalogue";
import { buildOpenApiDocument } from "../openapi";
import type { Route } from "../router";
import type { ApiServices } from "../services";

/** Each provider's settings as JSON Schema, secrets marked `writeOnly` and `x-secret`. */
export function providersListing() {
  return Object.values(PROVIDERS).map((provider) => ({
    id: provider.id,
    title: provider.title,
    modes: { allowed: allowedModes(provider.id), default: provider.defaultModes },
    secretFields: provider.secretFields,
    maskedFields: provider.identifierFields,
    settingsSchema: z.toJSONSchema(provider.settingsSchema, { io: "input" }),
  }));
}

export function metaRoutes(services: ApiServices, allRoutes: () => Route[]): Route[] {
  let openApiDocument: unknown;
  return [
    {
      method: "GET",
      path: "/v1/health",
      access: "public",
      summary: "Liveness and version",
      async handle() {
        return { status: 200, body: { status: "ok", version: services.appVersion } };
      },
    },
    {
      method: "GET",
      path: "/v1/providers",
      access: "viewer",
      summary: "Providers and the JSON Schemas of their settings",
      async handle() {
        return { status: 200, body: { items: providersListing() } };
      },
    },
    {
      method: "GET",
      path: "/v1/openapi.json",
      access: "public",
      summary: "This API as OpenAPI 3.1, generated from the zod schemas",
      async handle() {
        // Built on first request, not at cold start.
        openApiDocument ??= buildOpenApiDocument(allRoutes(), services.appVersion);
        return { status: 200, body: openApiDocument };
      },
    },
  ];
}
