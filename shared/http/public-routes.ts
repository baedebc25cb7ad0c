/**
 * Routes served without a token: the CDK stack leaves them off the JWT authorizer (with this
 * reason in its cdk-nag acknowledgement), the local server skips its token check on them, and the
 * router marks the same routes `access: "public"` (a unit test keeps the three in step).
 */
export const PUBLIC_ROUTES: ReadonlyArray<{ method: "GET"; path: string; reason: string }> = [
  { method: "GET", path: "/v1/health", reason: "The health probe carries no tenant data." },
  {
    method: "GET",
    path: "/v1/openapi.json",
    reason: "The OpenAPI document describes the API and carries no tenant data.",
  },
  {
    method: "GET",
    path: "/v1/connect/clevercloud/callback",
    reason:
      "Clever Cloud redirects the user's browser here, without our token; the request is authorised by the single-use pending connection and the provider's oauth_token and oauth_verifier.",
  },
];

export function isPublicRoute(method: string, path: string): boolean {
  const normalised = path.replace(/\/$/, "");
  return PUBLIC_ROUTES.some((route) => route.method === method && route.path === normalised);
}
