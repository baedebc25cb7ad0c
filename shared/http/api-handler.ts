import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Logger } from "../logging";
import { type Claims, type Principal, principalFromClaims, requireRole } from "./auth";
import { accessLog, problemResponses } from "./middleware";
import { type Route, Router } from "./router";
import { auditRoutes } from "./routes/audit";
import { clusterRoutes } from "./routes/clusters";
import { connectRoutes } from "./routes/connect";
import { credentialRoutes } from "./routes/credentials";
import { finopsRoutes } from "./routes/finops";
import { inventoryRoutes } from "./routes/inventory";
import { metaRoutes } from "./routes/meta";
import type { ApiServices } from "./services";

export interface ApiHandlerOptions {
  services: ApiServices;
  logger: Logger;
  claimNames: { tenant: string; roles: string };
}

export function apiRoutes(services: ApiServices): Route[] {
  const routes: Route[] = [
    ...metaRoutes(services, () => routes),
    ...credentialRoutes(services),
    ...clusterRoutes(services),
    ...auditRoutes(services),
    ...connectRoutes(services),
    ...finopsRoutes(services),
    ...inventoryRoutes(services),
  ];
  return routes;
}

/** The one Lambda behind the HTTP API: route, authorise from the JWT claims, call the use case. */
export function createApiHandler({ services, logger, claimNames }: ApiHandlerOptions) {
  const router = new Router(apiRoutes(services));

  async function dispatch(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const requestId = event.requestContext.requestId;
    const { route, params } = router.match(event.requestContext.http.method, event.rawPath);
    const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt
      ?.claims;
    const principal: Principal =
      route.access === "public"
        ? { tenant: "", subject: "anonymous", role: "viewer", requestId }
        : principalFromClaims(claims, claimNames, requestId);
    if (route.access !== "public") requireRole(principal, route.access);
    const reply = await route.handle({ event, params, principal, requestId });
    return {
      statusCode: reply.status,
      headers: {
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        ...(reply.body === undefined ? {} : { "content-type": "application/json" }),
        ...reply.headers,
      },
      body: reply.body === undefined ? "" : JSON.stringify(reply.body),
    };
  }

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(accessLog(logger))
    .use(problemResponses(logger))
    .handler(dispatch);
}
