import * as z from "zod";
import { COST_DIMENSIONS } from "../../domain/billing/costs";
import { credentialIdSchema } from "../../domain/credentials/ids";
import { parseQuery } from "../request";
import type { Route } from "../router";
import type { ApiServices } from "../services";
import { pageQuerySchema } from "./schemas";

const isoDay = z.iso.date({ error: "must be a date such as 2026-11-01" });

export const costsQuerySchema = z.strictObject({
  from: isoDay,
  to: isoDay,
  groupBy: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.enum(COST_DIMENSIONS, { error: `each must be one of ${COST_DIMENSIONS.join(", ")}` })).max(4),
    ),
  credentialId: credentialIdSchema.optional(),
});

export function finopsRoutes(services: ApiServices): Route[] {
  const { billingImports, costs } = services;
  return [
    {
      method: "POST",
      path: "/v1/credentials/{id}/billing-imports",
      access: "editor",
      summary: "Start a FinOps import of this credential's billing buckets now",
      success: { status: 202, description: "{ importId, status }" },
      async handle({ params, principal }) {
        const run = await billingImports.start(principal, params.id!, "manual");
        return {
          status: 202,
          body: { importId: run.id, status: run.status },
          headers: { location: `/v1/billing-imports/${run.id}` },
        };
      },
    },
    {
      method: "GET",
      path: "/v1/billing-imports",
      access: "viewer",
      summary: "Import runs, newest first",
      query: pageQuerySchema,
      success: { status: 200, description: "A page of import runs" },
      async handle({ event, principal }) {
        const page = await billingImports.listRuns(principal, parseQuery(pageQuerySchema, event));
        return {
          status: 200,
          body: { items: page.items.map(({ tenant: _tenant, ...run }) => run), nextCursor: page.nextCursor },
        };
      },
    },
    {
      method: "GET",
      path: "/v1/billing-imports/{id}",
      access: "viewer",
      summary: "One import run: files seen, imported, skipped and failed, rows, problems",
      success: { status: 200, description: "The import run" },
      async handle({ params, principal }) {
        const { tenant: _tenant, ...run } = await billingImports.getRun(principal, params.id!);
        return { status: 200, body: run };
      },
    },
    {
      method: "GET",
      path: "/v1/finops/costs",
      access: "viewer",
      summary: "Costs over [from, to), grouped; currencies are never summed together",
      query: costsQuerySchema,
      success: { status: 200, description: "{ currency, total, totals, groups }" },
      async handle({ event, principal }) {
        const query = parseQuery(costsQuerySchema, event);
        return { status: 200, body: await costs.costs(principal, query) };
      },
    },
  ];
}
