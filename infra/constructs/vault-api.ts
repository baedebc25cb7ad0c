import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { PUBLIC_ROUTES } from "../../shared/http/public-routes";
import { VaultFunction } from "./vault-function";

/**
 * VaultApi: the HTTP API and the one Lambda that routes every request.
 *
 * Defaults:
 * - `ANY /v1/{proxy+}` behind a JWT authorizer (issuer + audience given by the stack).
 * - The routes of shared/http/public-routes.ts without auth (health, the OpenAPI document, the
 *   OAuth connect callback), each acknowledged for cdk-nag with its own reason.
 * - `$default` stage, auto-deployed, throttled to 50 req/s steady and 100 burst per route,
 *   JSON access logs to a log group with the configured retention.
 * - Handler: `functions/api.ts` through VaultFunction, 15 s timeout (under the HTTP API
 *   integration limit of 30 s).
 */
export interface VaultApiProps {
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

export class VaultApi extends Construct {
  readonly handler: VaultFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: VaultApiProps) {
    super(scope, id);

    this.handler = new VaultFunction(this, "Handler", {
      entryFile: "api.ts",
      description: "HTTP API router: vault, costs and inventory endpoints",
      environment: props.environment,
      logRetention: props.logRetention,
      timeout: Duration.seconds(15),
    });

    this.httpApi = new HttpApi(this, "HttpApi", {
      description: "Cloud credential vault API",
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const throttle = props.throttle ?? { rateLimit: 50, burstLimit: 100 };
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const integration = new HttpLambdaIntegration("ApiIntegration", this.handler.function);
    const authorizer = new HttpJwtAuthorizer("JwtAuthorizer", props.jwtIssuer, {
      jwtAudience: [props.jwtAudience],
    });

    this.httpApi.addRoutes({ path: "/v1/{proxy+}", methods: [HttpMethod.ANY], integration, authorizer });
    // An explicit "no auth" keeps a later defaultAuthorizer from silently covering these routes.
    const noAuth = new HttpNoneAuthorizer();
    for (const { path, reason } of PUBLIC_ROUTES) {
      for (const route of this.httpApi.addRoutes({
        path,
        methods: [HttpMethod.GET],
        integration,
        authorizer: noAuth,
      })) {
        Validations.of(route).acknowledge({
          id: "AwsSolutions-APIG4",
          reason: `Deliberately public: ${reason} Every other route sits behind the JWT authorizer.`,
        });
      }
    }
  }

  /** The invoke URL of the `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}

// HTTP API context variables; no claims or query strings, so no tenant data in access logs.
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  method: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
};
