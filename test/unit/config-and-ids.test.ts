import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../shared/adapters/dynamodb/cursor";
import { newUlid } from "../../shared/adapters/ids";
import { ConfigError, parseConfig } from "../../shared/config";
import { InvalidInput } from "../../shared/domain/errors";

describe("configuration", () => {
  it("fails at start with the variable's name", () => {
    expect(() => parseConfig({ DEPLOY_MODE: "aws" })).toThrow(/TABLE_NAME/);
    expect(() => parseConfig({ TABLE_NAME: "t" })).toThrow(/KMS_KEY_ID/);
    expect(() => parseConfig({ TABLE_NAME: "t", KMS_KEY_ID: "k", LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseConfig({ DEPLOY_MODE: "local", TABLE_NAME: "t" })).toThrow(ConfigError);
  });

  it("fills the defaults", () => {
    expect(parseConfig({ TABLE_NAME: "t", KMS_KEY_ID: "k" })).toMatchObject({
      DEPLOY_MODE: "aws",
      TENANT_CLAIM: "tenant",
      ROLES_CLAIM: "roles",
      LOG_LEVEL: "info",
    });
  });
});

describe("ids", () => {
  it("makes 26-character Crockford ULIDs that sort by time", () => {
    const earlier = newUlid(1_700_000_000_000);
    const later = newUlid(1_700_000_000_001);
    expect(earlier).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(earlier < later).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newUlid())).size).toBe(1000);
  });
});

describe("cursors", () => {
  it("round-trips a key and refuses one from another partition", () => {
    const cursor = encodeCursor({ pk: { S: "TENANT#a" }, sk: { S: "CRED#1" } })!;
    expect(decodeCursor(cursor, { pk: "TENANT#a" })).toEqual({ pk: { S: "TENANT#a" }, sk: { S: "CRED#1" } });
    expect(() => decodeCursor(cursor, { pk: "TENANT#b" })).toThrow(InvalidInput);
    expect(() => decodeCursor("not-base64-json", { pk: "TENANT#a" })).toThrow(InvalidInput);
    expect(encodeCursor(undefined)).toBeNull();
  });
});
