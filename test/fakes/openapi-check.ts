/**
 * A small OpenAPI 3 schema walker: does a JSON value hold only what a schema defines, with the
 * right JSON types? Resolves `$ref`s recursively (arrays, nested objects, `oneOf`/`anyOf`/`allOf`).
 * Enough to hold a fake's answers to a provider's published spec; not a full JSON Schema validator.
 */

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  required?: string[];
}

export interface OpenApiSpec {
  components?: { schemas?: Record<string, Schema> };
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

export function resolveRef(spec: OpenApiSpec, ref: string): Schema {
  const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
  const schema = match ? spec.components?.schemas?.[match[1]!] : undefined;
  if (!schema) throw new Error(`unresolvable $ref ${ref}`);
  return schema;
}

/** The JSON schema of `POST /{action}`'s 200 answer. */
export function responseSchema(spec: OpenApiSpec, action: string): Schema {
  const responses = spec.paths?.[`/${action}`]?.post?.responses as
    | Record<string, { content?: Record<string, { schema?: Schema }> }>
    | undefined;
  const schema = responses?.["200"]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`the spec has no 200 response schema for ${action}`);
  return schema;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Problems found, each prefixed with the JSON path where it was found; empty when the value fits. */
export function schemaProblems(spec: OpenApiSpec, schema: Schema, value: unknown, path = "$"): string[] {
  if (schema.$ref) return schemaProblems(spec, resolveRef(spec, schema.$ref), value, path);
  if (value === null) return schema.nullable ? [] : [`${path}: null where the spec does not allow it`];
  const problems: string[] = [];
  if (schema.allOf)
    for (const part of schema.allOf) problems.push(...schemaProblems(spec, part, value, path));
  for (const alternatives of [schema.oneOf, schema.anyOf]) {
    if (!alternatives) continue;
    const fits = alternatives.some((part) => schemaProblems(spec, part, value, path).length === 0);
    if (!fits) problems.push(`${path}: fits none of the spec's alternatives`);
  }
  const type = schema.type ?? (schema.properties ? "object" : undefined);
  const actual = jsonType(value);
  if (type && !(actual === type || (type === "number" && actual === "integer"))) {
    return [...problems, `${path}: ${actual} where the spec says ${type}`];
  }
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${path}: ${String(value)} is not in the enum`);
  if (typeof value === "string" && schema.format) {
    const pattern = { "date-time": DATE_TIME, date: DATE, byte: BASE64 }[schema.format];
    if (pattern && !pattern.test(value)) problems.push(`${path}: "${value}" is not a ${schema.format}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => {
      problems.push(...schemaProblems(spec, schema.items!, item, `${path}[${index}]`));
    });
  }
  if (actual === "object" && (schema.properties || schema.additionalProperties !== undefined)) {
    for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
      const defined = schema.properties?.[name];
      if (defined) problems.push(...schemaProblems(spec, defined, child, `${path}.${name}`));
      else if (typeof schema.additionalProperties === "object") {
        problems.push(...schemaProblems(spec, schema.additionalProperties, child, `${path}.${name}`));
      } else if (schema.additionalProperties !== true) {
        problems.push(`${path}.${name}: not a property the spec defines`);
      }
    }
  }
  return problems;
}
