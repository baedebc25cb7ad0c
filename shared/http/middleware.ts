import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { Logger } from "../logging";
import { problemBody, toHttpProblem } from "./problem";

type ApiMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

const requestIdOf = (event: APIGatewayProxyEventV2) => event.requestContext?.requestId ?? "unknown";

/** One access-log line per request: method, path, status, duration. Never a body or a header value. */
export function accessLog(logger: Logger): ApiMiddleware {
  const startedAt = new WeakMap<object, number>();
  const line = (event: APIGatewayProxyEventV2, status: number | undefined) => {
    const started = startedAt.get(event);
    logger.info("request", {
      requestId: requestIdOf(event),
      method: event.requestContext?.http?.method,
      path: event.rawPath,
      status,
      durationMs: started === undefined ? undefined : Math.round(performance.now() - started),
    });
  };
  return {
    name: "accessLog",
    before: (request) => {
      startedAt.set(request.event, performance.now());
    },
    after: (request) => line(request.event, request.response?.statusCode),
    onError: (request) => line(request.event, request.response?.statusCode),
  };
}

/**
 * Turns any error into application/problem+json. Registered last so that it runs first on error.
 * Our own faults are logged with the error's name and message only, and answered without detail.
 */
export function problemResponses(logger: Logger): ApiMiddleware {
  return {
    name: "problemResponses",
    onError: (request) => {
      const problem = toHttpProblem(request.error);
      const requestId = requestIdOf(request.event);
      if (problem.status >= 500) {
        const error = request.error;
        logger.error("request failed", {
          requestId,
          code: problem.code,
          errorName: error instanceof Error ? error.name : typeof error,
          errorMessage: error instanceof Error ? error.message : undefined,
        });
      }
      request.response = {
        statusCode: problem.status,
        headers: {
          "content-type": "application/problem+json",
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
          ...(Array.isArray(problem.extra.allow) ? { allow: problem.extra.allow.join(", ") } : {}),
        },
        body: JSON.stringify(problemBody(problem, requestId)),
      };
    },
  };
}
