import * as z from "zod";
import { MODES, PROVIDER_IDS } from "../domain/providers/types";
import type { Route } from "./router";

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string().meta({ description: "Stable, machine-readable error code" }),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  requestId: z.string(),
});

const credentialSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(PROVIDER_IDS),
  description: z.string().nullable(),
  modes: z.array(z.enum(MODES)),
  tags: z.record(z.string(), z.string()),
  settings: z
    .record(z.string(), z.unknown())
    .meta({ description: "Public settings: identifiers masked, secrets absent, proxy without password" }),
  secretFields: z.array(z.string()).meta({ description: "Which secrets are stored, never their values" }),
  clusters: z.object({ count: z.number().int() }),
  validation: z.object({
    status: z.enum(["valid", "invalid", "unreachable", "unknown"]),
    checkedAt: z.string().optional(),
    identity: z.record(z.string(), z.unknown()).optional(),
    error: z.string().optional(),
  }),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  secretsRotatedAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

function toSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return jsonSchema;
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  const properties = (toSchema(schema).properties ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, propertySchema]) => ({
    name,
    in: "query",
    schema: propertySchema,
  }));
}

/** The OpenAPI 3.1 document of the routes, from the same zod schemas the handlers validate with. */
export function buildOpenApiDocument(routes: Route[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const success = route.success ?? { status: 200, description: "OK" };
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.access === "public" ? { security: [] } : { "x-required-role": route.access }),
      parameters: [...pathParameters, ...queryParameters(route.query)],
      ...(route.requestBody
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: toSchema(route.requestBody) } },
            },
          }
        : {}),
      responses: {
        [String(success.status)]: {
          description: success.description,
          ...(success.schema
            ? {
                content: {
                  "application/json": { schema: { $ref: `#/components/schemas/${success.schema}` } },
                },
              }
            : {}),
        },
        default: {
          description: "A problem (RFC 9457)",
          content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Cloud credential vault", version },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Problem: toSchema(problemSchema),
        Credential: toSchema(credentialSchema),
        CredentialPage: toSchema(
          z.object({ items: z.array(credentialSchema), nextCursor: z.string().nullable() }),
        ),
      },
    },
  };
}
