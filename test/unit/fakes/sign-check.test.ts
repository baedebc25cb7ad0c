import { describe, expect, it } from "vitest";
import {
  AWS4,
  canonicalRequest,
  OSC4,
  oauthBaseString,
  oauthSignature,
  oauthSignatureMatches,
  parseOAuthHeader,
  parseSigV4Authorization,
  sha256Hex,
  sigV4Problem,
  sigV4Signature,
} from "../../fakes/sign-check";

describe("OAuth 1.0a verification (RFC 5849) against published examples", () => {
  // RFC 5849 §3.4.1.1: the request of §3.4.1 (query, form body and protocol parameters).
  const rfcUrl = new URL("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
  const rfcOAuth = {
    oauth_consumer_key: "9djdj82h48djs9d2",
    oauth_token: "kkk9d7dh3k39sjv7",
    oauth_signature_method: "HMAC-SHA1",
    oauth_timestamp: "137131201",
    oauth_nonce: "7d8f3e4a",
    oauth_signature: "djosJKDKJSD8743243/jdk33klY=",
  };
  const rfcForm = [...new URLSearchParams("c2&a3=2+q").entries()];

  it("builds the signature base string of RFC 5849 §3.4.1.1 exactly", () => {
    expect(oauthBaseString("POST", rfcUrl, rfcOAuth, rfcForm)).toBe(
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
    );
  });

  it("keys the HMAC with enc(consumer secret)&enc(token secret) (RFC 5849 §3.4.2, the §3.1 secrets)", () => {
    // The RFC prints no real signature for this request (its header carries a placeholder), so
    // this checks the key: PLAINTEXT is the key itself, and the HMAC changes with either secret.
    expect(oauthSignature("PLAINTEXT", "", "j49sk3j29djd", "dh893hdasih9")).toBe("j49sk3j29djd&dh893hdasih9");
    const base = oauthBaseString("POST", rfcUrl, rfcOAuth, rfcForm);
    const right = oauthSignature("HMAC-SHA1", base, "j49sk3j29djd", "dh893hdasih9");
    expect(right).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(oauthSignature("HMAC-SHA1", base, "j49sk3j29djd", "wrong")).not.toBe(right);
  });

  it("computes tR3+Ty81lMeYAr/Fid0kMTYa/WM=, the OAuth Core 1.0 Appendix A.5 photos example", () => {
    // This published HMAC-SHA1 value belongs to the photos example (secrets kd94hf93k423kf44 and
    // pfkkdhi9sl3r4s00), not to RFC 5849 §3.4.1's request.
    const url = new URL("http://photos.example.net/photos?file=vacation.jpg&size=original");
    const params = {
      oauth_consumer_key: "dpf43f3p2l4k3l03",
      oauth_token: "nnch734d00sl2jdk",
      oauth_signature_method: "HMAC-SHA1",
      oauth_timestamp: "1191242096",
      oauth_nonce: "kllo9940pd9333jh",
      oauth_version: "1.0",
    };
    const baseString = oauthBaseString("GET", url, params);
    expect(baseString).toBe(
      "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
    );
    const signature = "tR3+Ty81lMeYAr/Fid0kMTYa/WM=";
    expect(oauthSignature("HMAC-SHA1", baseString, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).toBe(signature);
    const request = { method: "GET", url, oauthParams: { ...params, oauth_signature: signature } };
    expect(oauthSignatureMatches(request, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).toBe(true);
    expect(oauthSignatureMatches(request, "kd94hf93k423kf44", "wrong")).toBe(false);
    const tampered = {
      ...request,
      url: new URL("http://photos.example.net/photos?file=other.jpg&size=original"),
    };
    expect(oauthSignatureMatches(tampered, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).toBe(false);
  });

  it("drops default ports, lower-cases scheme and host, and keeps other ports (§3.4.1.2)", () => {
    const params = { oauth_consumer_key: "k" };
    expect(oauthBaseString("GET", new URL("HTTP://Example.COM:80/r"), params)).toBe(
      "GET&http%3A%2F%2Fexample.com%2Fr&oauth_consumer_key%3Dk",
    );
    expect(oauthBaseString("GET", new URL("https://example.com:8443/r"), params)).toContain(
      "https%3A%2F%2Fexample.com%3A8443%2Fr",
    );
  });

  it("signs with HMAC-SHA512 and refuses an unknown method", () => {
    expect(oauthSignature("HMAC-SHA512", "base", "cs", "ts")).toHaveLength(88);
    expect(() => oauthSignature("RSA-SHA1", "base", "cs")).toThrow();
    expect(oauthSignature("PLAINTEXT", "", "cs&1", "")).toBe("cs%261&");
  });

  it("parses an Authorization header, dropping the realm and refusing repeats", () => {
    expect(parseOAuthHeader('OAuth realm="x", oauth_consumer_key="a%20b", oauth_signature="s%3D"')).toEqual({
      oauth_consumer_key: "a b",
      oauth_signature: "s=",
    });
    expect(parseOAuthHeader('OAuth oauth_nonce="1", oauth_nonce="2"')).toBeUndefined();
    expect(parseOAuthHeader('OAuth oauth_nonce="%E0%A4%A"')).toBeUndefined();
    expect(parseOAuthHeader("Bearer x")).toBeUndefined();
  });
});

describe("SigV4 verification against AWS's published test suite", () => {
  // aws-sig-v4-test-suite: AKIDEXAMPLE, us-east-1, service "service", 20150830T123600Z.
  const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const scope = { date: "20150830", region: "us-east-1", service: "service" };
  const headers = { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" };
  const sign = (url: string, method = "GET") =>
    sigV4Signature(
      AWS4,
      secret,
      scope,
      "20150830T123600Z",
      canonicalRequest(method, new URL(url), headers, ["host", "x-amz-date"], sha256Hex("")),
    );

  it("get-vanilla: the canonical request and the published signature", () => {
    expect(
      canonicalRequest(
        "GET",
        new URL("https://example.amazonaws.com/"),
        headers,
        ["host", "x-amz-date"],
        sha256Hex(""),
      ),
    ).toBe(
      "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sign("https://example.amazonaws.com/")).toBe(
      "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("get-vanilla-query-order-key-case: the query is sorted before signing", () => {
    expect(sign("https://example.amazonaws.com/?Param2=value2&Param1=value1")).toBe(
      "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    );
  });

  it("verifies a whole get-vanilla request, and says why a bad one fails", () => {
    const authorization =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    const parsed = parseSigV4Authorization(authorization)!;
    expect(parsed).toMatchObject({ accessKey: "AKIDEXAMPLE", region: "us-east-1", service: "service" });
    const request = { method: "GET", url: new URL("https://example.amazonaws.com/"), headers, body: "" };
    expect(sigV4Problem(parsed, request, secret)).toBeUndefined();
    expect(sigV4Problem(parsed, request, `${secret}x`)).toBe("signature mismatch");
    expect(sigV4Problem(parsed, { ...request, body: "{}" }, secret)).toBe("signature mismatch");
    expect(sigV4Problem({ ...parsed, signedHeaders: ["x-amz-date", "host"] }, request, secret)).toMatch(
      /sorted/,
    );
    expect(sigV4Problem({ ...parsed, signedHeaders: ["host"] }, request, secret)).toMatch(/x-amz-date/);
    expect(sigV4Problem({ ...parsed, date: "20150831" }, request, secret)).toMatch(/date/);
  });

  it("parses OSC4 authorizations and keys them with OSC4 + secret", () => {
    const parsed = parseSigV4Authorization(
      `OSC4-HMAC-SHA256 Credential=AK/20150830/eu-west-2/api/osc4_request, SignedHeaders=host;x-osc-date, Signature=${"0".repeat(64)}`,
    );
    expect(parsed?.flavour).toBe(OSC4);
    expect(
      parseSigV4Authorization(
        "OSC4-HMAC-SHA256 Credential=AK/20150830/eu-west-2/api/aws4_request, SignedHeaders=host, Signature=x",
      ),
    ).toBeUndefined();
    const canonical = `GET\n/\n\nhost:h\n\nhost\n${sha256Hex("")}`;
    expect(sigV4Signature(OSC4, secret, scope, "20150830T123600Z", canonical)).not.toBe(
      sigV4Signature(AWS4, secret, scope, "20150830T123600Z", canonical),
    );
  });
});
