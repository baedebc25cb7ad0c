import { describe, expect, it } from "vitest";
import { apiRoutes } from "../../shared/http/api-handler";
import { parseRoles, principalFromClaims, requireRole } from "../../shared/http/auth";
import { HttpProblem } from "../../shared/http/problem";
import { PUBLIC_ROUTES } from "../../shared/http/public-routes";
import { parseIfMatch } from "../../shared/http/request";
import { Router } from "../../shared/http/router";
import type { ApiServices } from "../../shared/http/services";

const claimNames = { tenant: "tenant", roles: "roles" };

describe("roles from JWT claims", () => {
  it("reads every shape a roles claim arrives in", () => {
    expect(parseRoles("[viewer editor]")).toEqual(["viewer", "editor"]);
    expect(parseRoles('["admin"]')).toEqual(["admin"]);
    expect(parseRoles(["editor", "other"])).toEqual(["editor"]);
    expect(parseRoles("viewer,admin")).toEqual(["viewer", "admin"]);
    expect(parseRoles(undefined)).toEqual([]);
  });

  it("takes the highest role and enforces the order viewer < editor < admin", () => {
    const principal = principalFromClaims(
      { tenant: "t1", roles: "[viewer editor]", sub: "u1" },
      claimNames,
      "r1",
    );
    expect(principal).toMatchObject({ tenant: "t1", subject: "u1", role: "editor" });
    expect(() => requireRole(principal, "editor")).not.toThrow();
    expect(() => requireRole(principal, "admin")).toThrow(HttpProblem);
  });

  it("refuses a missing or unsafe tenant with 401 and no role with 403", () => {
    const status = (claims: Record<string, string> | undefined) => {
      try {
        principalFromClaims(claims, claimNames, "r");
        return 200;
      } catch (error) {
        return (error as HttpProblem).status;
      }
    };
    expect(status(undefined)).toBe(401);
    expect(status({ roles: "admin" })).toBe(401);
    expect(status({ tenant: "a#b", roles: "admin" })).toBe(401);
    expect(status({ tenant: "a", roles: "root" })).toBe(403);
  });
});

describe("If-Match", () => {
  it("reads strong, weak and bare ETags and the wildcard", () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch("7")).toBe(7);
    expect(parseIfMatch("*")).toBe("any");
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(() => parseIfMatch("abc")).toThrow(HttpProblem);
  });
});

describe("router", () => {
  const services = { appVersion: "test" } as ApiServices;
  const router = new Router(apiRoutes(services));

  it("matches the public routes the gateway leaves unauthenticated, and only those", () => {
    const publicInRouter = router.routes
      .filter((route) => route.access === "public")
      .map((route) => `${route.method} ${route.path}`);
    expect(publicInRouter.sort()).toEqual(
      PUBLIC_ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
    );
  });

  it("answers 405 for a known path and another method, 404 for an unknown path", () => {
    expect(() => router.match("POST", "/v1/health")).toThrow(expect.objectContaining({ status: 405 }));
    expect(() => router.match("GET", "/v2/health")).toThrow(expect.objectContaining({ status: 404 }));
    expect(router.match("GET", "/v1/health/").route.path).toBe("/v1/health");
  });
});
