import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AWS4,
  canonicalRequest,
  oauthBaseString,
  oauthSignature,
  parseOAuthHeader,
  sha256Hex,
  signingKey,
  stringToSign,
} from "../../fakes/sign-check";

describe("OAuth 1.0a signatures against published examples", () => {
  it("builds the signature base string of RFC 5849 §3.4.1 exactly", () => {
    const url = new URL("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
    const baseString = oauthBaseString(
      "POST",
      url,
      {
        oauth_consumer_key: "9djdj82h48djs9d2",
        oauth_token: "kkk9d7dh3k39sjv7",
        oauth_signature_method: "HMAC-SHA1",
        oauth_timestamp: "137131201",
        oauth_nonce: "7d8f3e4a",
        oauth_signature: "ignored",
      },
      [
        ["c2", ""],
        ["a3", "2 q"],
      ],
    );
    expect(baseString).toBe(
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
    );
  });

  it("computes the HMAC-SHA1 signature of the OAuth 1.0 photos example (tR3+Ty81lMeYAr/Fid0kMTYa/WM=)", () => {
    const url = new URL("http://photos.example.net/photos?file=vacation.jpg&size=original");
    const baseString = oauthBaseString("GET", url, {
      oauth_consumer_key: "dpf43f3p2l4k3l03",
      oauth_token: "nnch734d00sl2jdk",
      oauth_signature_method: "HMAC-SHA1",
      oauth_timestamp: "1191242096",
      oauth_nonce: "kllo9940pd9333jh",
      oauth_version: "1.0",
    });
    expect(baseString).toBe(
      "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
    );
    expect(oauthSignature("HMAC-SHA1", baseString, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).toBe(
      "tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
    );
  });

  it("signs PLAINTEXT as the encoded secrets joined by &, and refuses a wrong secret", () => {
    expect(oauthSignature("PLAINTEXT", "unused", "cs&1", "ts")).toBe("cs%261&ts");
    expect(oauthSignature("HMAC-SHA1", "base", "right")).not.toBe(
      oauthSignature("HMAC-SHA1", "base", "wrong"),
    );
  });

  it("parses an Authorization header, dropping the realm", () => {
    expect(parseOAuthHeader('OAuth realm="x", oauth_consumer_key="a%20b", oauth_signature="s%3D"')).toEqual({
      oauth_consumer_key: "a b",
      oauth_signature: "s=",
    });
    expect(parseOAuthHeader("Bearer x")).toBeUndefined();
  });
});

describe("SigV4 against AWS's published test suite", () => {
  // AWS Signature Version 4 test suite (2011 edition), "get-vanilla-query-order-key" family:
  // GET /?foo=Zoo&foo=aha on host.foo.com, region us-east-1, service host.
  const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const canonical = canonicalRequest(
    "GET",
    new URL("http://host.foo.com/?foo=Zoo&foo=aha"),
    { date: "Mon, 09 Sep 2011 23:36:00 GMT", host: "host.foo.com" },
    ["date", "host"],
    sha256Hex(""),
  );

  it("builds the canonical request and its hash", () => {
    expect(canonical).toBe(
      "GET\n/\nfoo=Zoo&foo=aha\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\ndate;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sha256Hex(canonical)).toBe("e25f777ba161a0f1baf778a87faf057187cf5987f17953320e3ca399feb5f00d");
  });

  it("derives the published signature", () => {
    const toSign = stringToSign(AWS4, "20110909T233600Z", "20110909/us-east-1/host/aws4_request", canonical);
    const signature = createHmac("sha256", signingKey(AWS4, secret, "20110909", "us-east-1", "host"))
      .update(toSign)
      .digest("hex");
    expect(signature).toBe("be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09");
    const wrongKey = createHmac("sha256", signingKey(AWS4, `${secret}x`, "20110909", "us-east-1", "host"))
      .update(toSign)
      .digest("hex");
    expect(wrongKey).not.toBe(signature);
  });
});
