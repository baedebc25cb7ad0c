import { describe, expect, it } from "vitest";
import { canonicalFieldName, normaliseRecord } from "../../../shared/domain/finops/consumption";
import { ENTRY } from "./helpers";

describe("normaliseRecord", () => {
  it("matches field names case-, space- and underscore-insensitively", () => {
    for (const name of ["AccountId", "Account_Id", "account id", "ACCOUNTID"]) {
      expect(canonicalFieldName(name), name).toBe("AccountId");
    }
    const { AccountId, ...rest } = ENTRY;
    const row = normaliseRecord({ ...rest, "account id": AccountId, currency: "eur" }, 3);
    expect(row).toMatchObject({ kind: "row", line: 3, accountId: "123456789012", currency: "EUR" });
  });

  it("refuses unknown names as fields and rows missing a required field", () => {
    expect(canonicalFieldName("Account.Id")).toBeUndefined();
    const { AccountId: _unused, ...rest } = ENTRY;
    expect(normaliseRecord({ ...rest, "Account.Id": "1" }, 4, "EUR")).toEqual({
      kind: "problem",
      line: 4,
      message: "AccountId is missing",
    });
  });

  it("accepts both date forms and a file currency; refuses an impossible date", () => {
    expect(normaliseRecord({ ...ENTRY, FromDate: "2023-06-01" }, 1, "EUR")).toMatchObject({
      fromDate: "2023-06-01T00:00:00.000Z",
      currency: "EUR",
    });
    expect(normaliseRecord({ ...ENTRY, FromDate: "2023-02-30" }, 1, "EUR")).toMatchObject({
      message: "FromDate is not a date",
    });
  });

  it("never echoes the raw value in a problem", () => {
    const problem = normaliseRecord({ ...ENTRY, Price: "secret-ish 12,5" }, 9, "EUR");
    expect(problem).toEqual({ kind: "problem", line: 9, message: "Price is not a decimal number" });
  });
});
