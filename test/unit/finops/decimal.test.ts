import { describe, expect, it } from "vitest";
import {
  addDecimals,
  decimal,
  formatCents,
  formatDecimal,
  multiplyDecimals,
  parseDecimal,
  parseNanoAmount,
  toCents,
} from "../../../shared/domain/finops/decimal";

describe("decimal", () => {
  it("parses plain, signed, exponent forms into nano-units", () => {
    expect(parseDecimal("0.1")).toBe(100_000_000n);
    expect(parseDecimal("12")).toBe(12_000_000_000n);
    expect(parseDecimal("-0.5")).toBe(-500_000_000n);
    expect(parseDecimal(".25")).toBe(250_000_000n);
    expect(parseDecimal("3.")).toBe(3_000_000_000n);
    expect(parseDecimal("1e-3")).toBe(1_000_000n);
    expect(parseDecimal("2.5E+2")).toBe(250_000_000_000n);
    expect(parseDecimal(" 7 ")).toBe(7_000_000_000n);
    expect(parseDecimal("0.000000001")).toBe(1n);
  });

  it("rounds digits beyond the ninth place half-even", () => {
    expect(parseDecimal("0.0000000005")).toBe(0n);
    expect(parseDecimal("0.0000000015")).toBe(2n);
    expect(parseDecimal("0.00000000151")).toBe(2n);
    expect(parseDecimal("-0.0000000015")).toBe(-2n);
  });

  it("refuses garbage", () => {
    for (const text of [
      "",
      " ",
      "abc",
      "1,5",
      "1.2.3",
      "--1",
      "1e",
      "e5",
      ".",
      "0x10",
      "1e9999",
      "NaN",
      "Infinity",
    ]) {
      expect(parseDecimal(text), text).toBeUndefined();
    }
    expect(() => decimal("nope")).toThrow(RangeError);
  });

  it("adds and multiplies exactly where floats do not", () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatDecimal(addDecimals(decimal("0.1"), decimal("0.2")))).toBe("0.3");
    expect(formatDecimal(multiplyDecimals(decimal("3"), decimal("0.1")))).toBe("0.3");
    expect(formatDecimal(multiplyDecimals(decimal("0.000000001"), decimal("0.5")))).toBe("0"); // tie → even
    expect(formatDecimal(multiplyDecimals(decimal("0.000000003"), decimal("0.5")))).toBe("0.000000002");
  });

  it("formats with trailing zeros trimmed and no exponent", () => {
    expect(formatDecimal(decimal("1.500"))).toBe("1.5");
    expect(formatDecimal(decimal("-0.05"))).toBe("-0.05");
    expect(formatDecimal(decimal("1e-9"))).toBe("0.000000001");
    expect(formatDecimal(0n)).toBe("0");
  });

  it("rounds to cents half-up, away from zero", () => {
    expect(formatCents(toCents(decimal("0.005")))).toBe("0.01");
    expect(formatCents(toCents(decimal("0.0049999")))).toBe("0.00");
    expect(formatCents(toCents(decimal("-0.005")))).toBe("-0.01");
    expect(formatCents(toCents(decimal("12.345")))).toBe("12.35");
    expect(formatCents(toCents(decimal("12.344")))).not.toBe("12.35");
  });
});

describe("nano amounts", () => {
  it("are numbers exactly while safe integers, bigints beyond, and equal parseDecimal", () => {
    const texts = [
      "0",
      "-0",
      "0.1",
      "-12.5",
      "1e-9",
      "9007199.254740991",
      "9007199.254740992",
      "123456789012.5",
    ];
    texts.push("-9007199.254740991", "99999999999999999999", "1.0000000005", "007.50", " 3 ");
    for (const text of texts) {
      const amount = parseNanoAmount(text);
      const exact = parseDecimal(text);
      if (exact === undefined) {
        expect(amount, text).toBeUndefined();
        continue;
      }
      const safe = exact <= BigInt(Number.MAX_SAFE_INTEGER) && exact >= -BigInt(Number.MAX_SAFE_INTEGER);
      expect(typeof amount, text).toBe(safe ? "number" : "bigint");
      expect(BigInt(amount!), text).toBe(exact);
      expect(formatDecimal(amount!), text).toBe(formatDecimal(exact));
      expect(Object.is(amount, -0), text).toBe(false);
    }
  });
});
