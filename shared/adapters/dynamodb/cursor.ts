import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { InvalidInput } from "../../domain/errors";

type Key = Record<string, AttributeValue>;

/** An opaque cursor: the last evaluated key, base64url JSON. */
export function encodeCursor(key: Key | undefined): string | null {
  if (!key) return null;
  const plain = Object.fromEntries(Object.entries(key).map(([name, value]) => [name, value.S ?? ""]));
  return Buffer.from(JSON.stringify(plain)).toString("base64url");
}

/**
 * Decodes a cursor and checks that it points into the caller's own partition, so a cursor
 * crafted with another tenant's keys is refused instead of read.
 */
export function decodeCursor(cursor: string | undefined, expected: Record<string, string>): Key | undefined {
  if (cursor === undefined) return undefined;
  const refuse = () => new InvalidInput([{ path: "cursor", message: "is not a cursor from this list" }]);
  let plain: unknown;
  try {
    plain = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw refuse();
  }
  if (!plain || typeof plain !== "object" || Array.isArray(plain)) throw refuse();
  const entries = Object.entries(plain);
  if (entries.length > 4 || entries.some(([, value]) => typeof value !== "string")) throw refuse();
  for (const [name, value] of Object.entries(expected)) {
    if ((plain as Record<string, unknown>)[name] !== value) throw refuse();
  }
  return Object.fromEntries(entries.map(([name, value]) => [name, { S: value as string }]));
}
