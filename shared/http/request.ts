import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { z } from "zod";
import { parseOrThrow } from "../domain/validation";
import { HttpProblem } from "./problem";

export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPE = /^application\/([a-z.+-]*\+)?json\s*(;.*)?$/i;

/**
 * Reads the JSON body: 413 past 64 KiB, 415 when it is not JSON, 400 when it does not parse.
 * Returns undefined when there is no body at all (the route's schema decides if that is fine).
 */
export function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === "") return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new HttpProblem(
      413,
      "payload_too_large",
      "Payload too large",
      `the body is ${raw.byteLength} bytes; the limit is ${MAX_BODY_BYTES}`,
    );
  }
  const contentType = event.headers["content-type"] ?? "";
  if (!JSON_TYPE.test(contentType)) {
    throw new HttpProblem(
      415,
      "unsupported_media_type",
      "Unsupported media type",
      `send the body as application/json (got ${contentType ? JSON.stringify(contentType.slice(0, 100)) : "no Content-Type"})`,
    );
  }
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unreadable";
    throw new HttpProblem(
      400,
      "malformed_json",
      "Malformed JSON",
      `the body is not valid JSON: ${reason.slice(0, 200)}`,
    );
  }
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  return parseOrThrow(schema, body ?? {});
}

export function parseQuery<S extends z.ZodType>(schema: S, event: APIGatewayProxyEventV2): z.output<S> {
  return parseOrThrow(schema, event.queryStringParameters ?? {}, ["query"]);
}

/** `If-Match: "3"` (or W/"3", or 3) -> 3; `*` -> "any". */
export function parseIfMatch(header: string | undefined): number | "any" | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return "any";
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (!match) {
    throw new HttpProblem(
      400,
      "validation_failed",
      "The request is not valid",
      'If-Match: must be an ETag such as "3"',
      {
        errors: [{ path: "If-Match", message: 'must be an ETag such as "3"' }],
      },
    );
  }
  return Number(match[1]);
}

export function etag(version: number): string {
  return `"${version}"`;
}
