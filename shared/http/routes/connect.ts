import { connectCallbackQuerySchema, startConnectInputSchema } from "../inputs";
import { etag, parseBody, parseQuery, readJsonBody } from "../request";
import type { Route } from "../router";
import type { ApiServices } from "../services";
import { credentialView } from "../views";

const CALLBACK_PATH = "/v1/connect/clevercloud/callback";

export function connectRoutes(services: ApiServices): Route[] {
  return [
    {
      method: "POST",
      path: "/v1/connect/clevercloud",
      access: "editor",
      summary: "Start connecting a Clever Cloud account with OAuth 1: answers the URL the user approves at",
      requestBody: startConnectInputSchema,
      success: { status: 201, description: "{ connectId, authorizeUrl, expiresAt }" },
      async handle({ event, principal }) {
        const input = parseBody(startConnectInputSchema, readJsonBody(event));
        // API Gateway sets X-Forwarded-Proto; the callback comes back to this same API.
        const scheme = event.headers["x-forwarded-proto"] ?? "https";
        const ourCallback = `${scheme}://${event.requestContext.domainName}${CALLBACK_PATH}`;
        const started = await services.connect.start(principal, input, ourCallback);
        return { status: 201, body: started };
      },
    },
    {
      method: "GET",
      path: CALLBACK_PATH,
      access: "public",
      summary: "Finish the OAuth 1 dance: check the token, exchange the verifier, store the credential",
      query: connectCallbackQuerySchema,
      success: { status: 201, description: "The stored credential, masked", schema: "Credential" },
      async handle({ event }) {
        const query = parseQuery(connectCallbackQuerySchema, event);
        const credential = await services.connect.finish({
          tenant: query.tenant,
          connectId: query.connect,
          oauthToken: query.oauth_token,
          oauthVerifier: query.oauth_verifier,
        });
        return {
          status: 201,
          body: credentialView(credential),
          headers: { location: `/v1/credentials/${credential.id}`, etag: etag(credential.version) },
        };
      },
    },
  ];
}
