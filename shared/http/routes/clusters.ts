import { associateClusterInputSchema } from "../inputs";
import { parseBody, parseQuery, readJsonBody } from "../request";
import type { Route } from "../router";
import type { ApiServices } from "../services";
import { pageQuerySchema } from "./schemas";

export function clusterRoutes(services: ApiServices): Route[] {
  const { clusters } = services;
  return [
    {
      method: "GET",
      path: "/v1/credentials/{id}/clusters",
      access: "viewer",
      summary: "Clusters associated with a credential",
      query: pageQuerySchema,
      success: { status: 200, description: "A page of cluster associations" },
      async handle({ event, params, principal }) {
        const page = await clusters.list(principal, params.id!, parseQuery(pageQuerySchema, event));
        return {
          status: 200,
          body: {
            items: page.items.map(({ clusterId, name, associatedAt, associatedBy }) => ({
              clusterId,
              name: name ?? null,
              associatedAt,
              associatedBy,
            })),
            nextCursor: page.nextCursor,
          },
        };
      },
    },
    {
      method: "PUT",
      path: "/v1/credentials/{id}/clusters/{clusterId}",
      access: "editor",
      summary: "Associate a cluster (idempotent)",
      requestBody: associateClusterInputSchema,
      success: { status: 201, description: "Associated (200 when it already was)" },
      async handle({ event, params, principal }) {
        const input = parseBody(associateClusterInputSchema, readJsonBody(event));
        const { association, created } = await clusters.associate(
          principal,
          params.id!,
          params.clusterId!,
          input,
        );
        return {
          status: created ? 201 : 200,
          body: {
            clusterId: association.clusterId,
            name: association.name ?? null,
            associatedAt: association.associatedAt,
          },
        };
      },
    },
    {
      method: "DELETE",
      path: "/v1/credentials/{id}/clusters/{clusterId}",
      access: "editor",
      summary: "Dissociate a cluster",
      success: { status: 204, description: "Dissociated" },
      async handle({ params, principal }) {
        await clusters.dissociate(principal, params.id!, params.clusterId!);
        return { status: 204 };
      },
    },
  ];
}
