import { describe, expect, it } from "vitest";
import {
  changedSettingFields,
  maskIdentifier,
  mergeSettings,
  splitSettings,
  urlWithoutPassword,
} from "../../shared/domain/credentials/settings";
import { PROVIDERS } from "../../shared/domain/providers/catalogue";

describe("masking", () => {
  it("shows the last 4 characters of a long identifier and nothing of a short one", () => {
    expect(maskIdentifier("AKFAKEOUTSCALE000001")).toBe("****0001");
    expect(maskIdentifier("short-token")).toBe("****");
  });

  it("drops a proxy's password and keeps the rest of the URL", () => {
    expect(urlWithoutPassword("https://user:pa%40ss@proxy.example.com:3128")).toBe(
      "https://user@proxy.example.com:3128",
    );
    expect(urlWithoutPassword("https://proxy.example.com:3128")).toBe("https://proxy.example.com:3128");
  });
});

describe("splitting settings", () => {
  it("seals secrets, identifiers and password URLs, and shows the rest", () => {
    const split = splitSettings(PROVIDERS.outscale, {
      accessKey: "AKFAKEOUTSCALE000001",
      secretKey: "S".repeat(40),
      accountId: "123456789012",
      region: "eu-west-2",
      proxy: "https://u:p@proxy.example.com:3128",
    });
    expect(split.publicSettings).toEqual({
      accessKey: "****0001",
      accountId: "123456789012",
      region: "eu-west-2",
      proxy: "https://u@proxy.example.com:3128",
    });
    expect(split.sealedSettings).toEqual({
      accessKey: "AKFAKEOUTSCALE000001",
      secretKey: "S".repeat(40),
      proxy: "https://u:p@proxy.example.com:3128",
    });
    expect(split.secretFields).toEqual(["secretKey", "proxy.password"]);
  });

  it("lists no proxy password when the proxy has none", () => {
    const split = splitSettings(PROVIDERS.outscale, { proxy: "https://proxy.example.com:3128" });
    expect(split.secretFields).toEqual([]);
  });
});

describe("merging a settings patch", () => {
  it("keeps omitted fields, replaces given ones and removes nulls", () => {
    expect(mergeSettings({ a: 1, b: 2, c: 3 }, { b: 20, c: null })).toEqual({ a: 1, b: 20 });
  });

  it("replaces the settings whole when the auth type changes", () => {
    expect(
      mergeSettings({ authType: "oauth1", consumerKey: "k" }, { authType: "apiToken", apiToken: "t" }),
    ).toEqual({
      authType: "apiToken",
      apiToken: "t",
    });
  });

  it("names the fields that changed", () => {
    expect(changedSettingFields({ a: 1, b: [1], c: 3 }, { a: 1, b: [2], d: 4 })).toEqual(["b", "c", "d"]);
  });
});
