import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { z } from "zod";
import type { Principal, Role } from "./auth";
import { HttpProblem } from "./problem";

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  event: APIGatewayProxyEventV2;
  params: Record<string, string>;
  /** Present on every route that needs a role. */
  principal: Principal;
  requestId: string;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** The role needed, or "public" for routes served without a token (health, the OpenAPI document). */
  access: Role | "public";
  summary: string;
  /** The schemas the handler validates with; the OpenAPI document is generated from them. */
  requestBody?: z.ZodType;
  query?: z.ZodType;
  /** The success status and a description of its body, for the OpenAPI document. */
  success?: { status: number; description: string; schema?: string };
  handle(context: RouteContext): Promise<ApiReply>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  paramNames: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(readonly routes: Route[]) {
    this.compiled = routes.map((route) => {
      const paramNames: string[] = [];
      const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
        paramNames.push(name);
        return "([^/]+)";
      });
      return { ...route, pattern: new RegExp(`^${source}/?$`), paramNames };
    });
  }

  /** Finds the route; 404 for an unknown path, 405 (with Allow) for a known path and another method. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } {
    const allowed: string[] = [];
    for (const route of this.compiled) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params = Object.fromEntries(
        route.paramNames.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? "")]),
      );
      return { route, params };
    }
    if (allowed.length > 0) {
      throw new HttpProblem(
        405,
        "method_not_allowed",
        "Method not allowed",
        `${method} is not allowed on ${path}`,
        {
          allow: allowed,
        },
      );
    }
    throw new HttpProblem(404, "not_found", "Not found", `no route for ${method} ${path}`);
  }
}
