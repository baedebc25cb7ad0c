import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { jwtVerify, SignJWT } from "jose";
import type { Claims } from "../shared/http/auth";

export const LOCAL_ISSUER = "urn:credential-vault:local";
export const LOCAL_AUDIENCE = "credential-vault-api";

/**
 * Local stand-in for the API Gateway JWT authorizer: tokens signed (HS256) by a key under .data/,
 * checked for signature, issuer, audience and expiry, then handed to the handler as the authorizer
 * would hand them: every claim a string, arrays flattened to "[a b]".
 */
export class LocalTokens {
  private constructor(private readonly key: Uint8Array) {}

  static open(path: string): LocalTokens {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    }
    return new LocalTokens(Buffer.from(readFileSync(path, "utf8").trim(), "hex"));
  }

  issue(options: {
    tenant: string;
    roles: string[];
    subject?: string;
    ttlSeconds?: number;
    tenantClaim?: string;
  }) {
    return new SignJWT({ [options.tenantClaim ?? "tenant"]: options.tenant, roles: options.roles })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(options.subject ?? `local-user@${options.tenant}`)
      .setIssuedAt()
      .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
      .sign(this.key);
  }

  /** The claims as the authorizer passes them, or undefined when the token is refused. */
  async verify(authorization: string | undefined): Promise<Claims | undefined> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: ["HS256"],
      });
      return Object.fromEntries(
        Object.entries(payload).map(([name, value]) => [
          name,
          Array.isArray(value) ? `[${value.join(" ")}]` : String(value),
        ]),
      );
    } catch {
      return undefined;
    }
  }
}
