import { parseQuery } from "../request";
import type { Route } from "../router";
import type { ApiServices } from "../services";
import { auditQuerySchema } from "./schemas";

export function auditRoutes(services: ApiServices): Route[] {
  return [
    {
      method: "GET",
      path: "/v1/audit",
      access: "admin",
      summary: "Audit events, newest first, optionally for one credential",
      query: auditQuerySchema,
      success: { status: 200, description: "A page of audit events" },
      async handle({ event, principal }) {
        const query = parseQuery(auditQuerySchema, event);
        const page = await services.audit.list(principal, query);
        return {
          status: 200,
          body: {
            items: page.items.map(({ tenant: _tenant, ...event }) => event),
            nextCursor: page.nextCursor,
          },
        };
      },
    },
  ];
}
