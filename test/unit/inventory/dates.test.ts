import { describe, expect, it } from "vitest";
import { parseProviderDate } from "../../../shared/domain/inventory/dates";

describe("parseProviderDate", () => {
  it.each([
    ["2023-06-01T00:00:00.000+0000", "2023-06-01T00:00:00.000Z"],
    ["2023-06-01T12:30:00.000+0200", "2023-06-01T10:30:00.000Z"],
    ["2023-06-01T12:30:00+02:00", "2023-06-01T10:30:00.000Z"],
    ["2023-06-01T12:30:00-05", "2023-06-01T17:30:00.000Z"],
    ["2023-06-01T12:30:00Z", "2023-06-01T12:30:00.000Z"],
    ["2023-06-01T12:30:00.123456Z", "2023-06-01T12:30:00.123Z"],
    ["2023-06-01 12:30:00", "2023-06-01T12:30:00.000Z"],
    ["2023-06-01", "2023-06-01T00:00:00.000Z"],
    [1_704_067_200_000, "2024-01-01T00:00:00.000Z"],
    ["1704067200000", "2024-01-01T00:00:00.000Z"],
  ])("reads %j as %s", (input, expected) => {
    expect(parseProviderDate(input)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "yesterday",
    "2023-02-30T00:00:00Z",
    "2023-06-01T25:00:00Z",
    Number.NaN,
    -1,
    {},
  ])("gives null for %j", (input) => {
    expect(parseProviderDate(input)).toBeNull();
  });
});
