import type { Credential } from "../../domain/credentials/model";
import { parseOrThrow } from "../../domain/validation";
import { createCredentialInputSchema, updateCredentialInputSchema } from "../inputs";
import { HttpProblem } from "../problem";
import { etag, parseBody, parseIfMatch, parseQuery, readJsonBody } from "../request";
import type { ApiReply, Route } from "../router";
import type { ApiServices } from "../services";
import { credentialView } from "../views";
import { idempotencyKeySchema, listCredentialsQuerySchema, validateQuerySchema } from "./schemas";

/** A credential as the API answers it: masked, with its version as ETag. */
function credentialReply(credential: Credential, status = 200): ApiReply {
  return { status, body: credentialView(credential), headers: { etag: etag(credential.version) } };
}

export function credentialRoutes(services: ApiServices): Route[] {
  const { credentials } = services;
  return [
    {
      method: "POST",
      path: "/v1/credentials",
      access: "editor",
      summary: "Create a credential",
      requestBody: createCredentialInputSchema,
      success: { status: 201, description: "The credential, masked", schema: "Credential" },
      async handle({ event, principal }) {
        const { validate } = parseQuery(validateQuerySchema, event);
        const input = parseBody(createCredentialInputSchema, readJsonBody(event));
        const idempotencyKey = parseOrThrow(idempotencyKeySchema, event.headers["idempotency-key"], [
          "Idempotency-Key",
        ]);
        const { credential, replayed } = await credentials.create(principal, input, {
          idempotencyKey,
          validate: validate === "true",
        });
        return {
          status: 201,
          body: credentialView(credential),
          headers: {
            location: `/v1/credentials/${credential.id}`,
            etag: etag(credential.version),
            ...(replayed ? { "idempotent-replayed": "true" } : {}),
          },
        };
      },
    },
    {
      method: "GET",
      path: "/v1/credentials",
      access: "viewer",
      summary: "List credentials (masked), filtered by provider, mode or name",
      query: listCredentialsQuerySchema,
      success: { status: 200, description: "A page of credentials", schema: "CredentialPage" },
      async handle({ event, principal }) {
        const query = parseQuery(listCredentialsQuerySchema, event);
        const page = await credentials.list(principal, {
          limit: query.limit,
          cursor: query.cursor,
          provider: query.provider,
          mode: query.mode,
          nameContains: query.q,
        });
        return { status: 200, body: { items: page.items.map(credentialView), nextCursor: page.nextCursor } };
      },
    },
    {
      method: "GET",
      path: "/v1/credentials/{id}",
      access: "viewer",
      summary: "Get one credential (masked)",
      success: { status: 200, description: "The credential, masked", schema: "Credential" },
      async handle({ params, principal }) {
        const credential = await credentials.get(principal, params.id!);
        return credentialReply(credential);
      },
    },
    {
      method: "PATCH",
      path: "/v1/credentials/{id}",
      access: "editor",
      summary: "Rename, edit settings or rotate secrets (If-Match required; an omitted secret is kept)",
      requestBody: updateCredentialInputSchema,
      success: { status: 200, description: "The credential, masked", schema: "Credential" },
      async handle({ event, params, principal }) {
        const expectedVersion = parseIfMatch(event.headers["if-match"]);
        if (expectedVersion === undefined) {
          throw new HttpProblem(
            428,
            "precondition_required",
            "Precondition required",
            "send If-Match with the ETag of the version you edit (GET the credential first)",
          );
        }
        const { validate } = parseQuery(validateQuerySchema, event);
        const patch = parseBody(updateCredentialInputSchema, readJsonBody(event));
        const credential = await credentials.update(principal, params.id!, expectedVersion, patch, {
          validate: validate === "true",
        });
        return credentialReply(credential);
      },
    },
    {
      method: "POST",
      path: "/v1/credentials/{id}/validate",
      access: "editor",
      summary:
        "Check the credential against the provider with the stored secrets; store and return the result",
      success: { status: 200, description: "The credential with its new validation", schema: "Credential" },
      async handle({ params, principal }) {
        const credential = await credentials.validate(principal, params.id!);
        return credentialReply(credential);
      },
    },
    {
      method: "DELETE",
      path: "/v1/credentials/{id}",
      access: "editor",
      summary: "Delete a credential no cluster uses (If-Match honoured)",
      success: { status: 204, description: "Deleted" },
      async handle({ event, params, principal }) {
        const expectedVersion = parseIfMatch(event.headers["if-match"]);
        await credentials.remove(
          principal,
          params.id!,
          expectedVersion === "any" ? undefined : expectedVersion,
        );
        return { status: 204 };
      },
    },
  ];
}
