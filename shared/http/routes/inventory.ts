import { parseQuery } from "../request";
import type { Route } from "../router";
import type { ApiServices } from "../services";
import { pageQuerySchema } from "./schemas";

export function inventoryRoutes(services: ApiServices): Route[] {
  const { sweeps } = services;
  return [
    {
      method: "POST",
      path: "/v1/credentials/{id}/inventory-runs",
      access: "editor",
      summary: "Start an inventory sweep of this credential now",
      success: { status: 202, description: "{ runId, status }" },
      async handle({ params, principal }) {
        const run = await sweeps.start(principal, params.id!, "manual");
        return {
          status: 202,
          body: { runId: run.id, status: run.status },
          headers: { location: `/v1/inventory-runs/${run.id}` },
        };
      },
    },
    {
      method: "GET",
      path: "/v1/inventory-runs",
      access: "viewer",
      summary: "Inventory runs, newest first",
      query: pageQuerySchema,
      success: { status: 200, description: "A page of inventory runs" },
      async handle({ event, principal }) {
        const page = await sweeps.listRuns(principal, parseQuery(pageQuerySchema, event));
        return {
          status: 200,
          body: { items: page.items.map(({ tenant: _tenant, ...run }) => run), nextCursor: page.nextCursor },
        };
      },
    },
    {
      method: "GET",
      path: "/v1/inventory-runs/{id}",
      access: "viewer",
      summary: "One run: status, counts by type, region and state, errors, and download URLs of its reports",
      success: { status: 200, description: "The run with short-lived download URLs" },
      async handle({ params, principal }) {
        const { run, downloads } = await sweeps.getRun(principal, params.id!);
        const { tenant: _tenant, ...shown } = run;
        return { status: 200, body: { ...shown, downloads } };
      },
    },
  ];
}
