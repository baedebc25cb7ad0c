import type { Actor } from "../domain/credentials/credentials";
import { HttpProblem } from "./problem";

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Each role includes the ones before it: viewer reads, editor also writes, admin also audits. */
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export interface Principal extends Actor {
  role: Role;
}

export type Claims = Record<string, string | number | boolean | string[] | undefined>;

const TENANT_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * API Gateway's JWT authorizer hands claims over flattened: an array claim arrives as the string
 * "[viewer editor]". Accept that, a JSON array, a real array, and comma or space separated lists.
 */
export function parseRoles(claim: unknown): Role[] {
  let values: string[] = [];
  if (Array.isArray(claim)) values = claim.map(String);
  else if (typeof claim === "string") {
    const trimmed = claim.trim();
    if (trimmed.startsWith("[") && trimmed.includes('"')) {
      try {
        values = (JSON.parse(trimmed) as unknown[]).map(String);
      } catch {
        values = [];
      }
    } else {
      values = trimmed.replace(/^\[|\]$/g, "").split(/[\s,]+/);
    }
  }
  return values.filter((value): value is Role => (ROLES as readonly string[]).includes(value));
}

export function principalFromClaims(
  claims: Claims | undefined,
  claimNames: { tenant: string; roles: string },
  requestId: string,
): Principal {
  const unauthorized = (detail: string) => new HttpProblem(401, "unauthorized", "Unauthorized", detail);
  if (!claims) throw unauthorized("a bearer token is required");
  const tenant = claims[claimNames.tenant];
  if (typeof tenant !== "string" || !TENANT_PATTERN.test(tenant)) {
    throw unauthorized(`the token has no usable "${claimNames.tenant}" claim`);
  }
  const roles = parseRoles(claims[claimNames.roles]);
  if (roles.length === 0) {
    throw new HttpProblem(
      403,
      "forbidden",
      "Forbidden",
      `the token grants none of the roles ${ROLES.join(", ")}`,
    );
  }
  const role = roles.reduce((best, next) => (RANK[next] > RANK[best] ? next : best));
  const subject = typeof claims.sub === "string" ? claims.sub : "unknown";
  return { tenant, subject, role, requestId };
}

export function requireRole(principal: Principal, needed: Role): void {
  if (RANK[principal.role] < RANK[needed]) {
    throw new HttpProblem(
      403,
      "forbidden",
      "Forbidden",
      `this action needs the ${needed} role; the token has ${principal.role}`,
    );
  }
}
