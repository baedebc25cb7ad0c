/**
 * Routes served without a token. The CDK stack leaves them off the JWT authorizer and the local
 * server skips its token check on them; the router marks the same routes `access: "public"`.
 */
export const PUBLIC_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: "GET", path: "/v1/health" },
  { method: "GET", path: "/v1/openapi.json" },
];

export function isPublicRoute(method: string, path: string): boolean {
  const normalised = path.replace(/\/$/, "");
  return PUBLIC_ROUTES.some((route) => route.method === method && route.path === normalised);
}
