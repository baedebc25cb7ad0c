import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildStack } from "./stack-fixture";

describe("HTTP API", () => {
  const { template } = buildStack();

  it("checks JWTs issued by the stack's own user pool for its app client by default", () => {
    template.resourceCountIs("AWS::Cognito::UserPool", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Issuer: { "Fn::GetAtt": [Match.stringLikeRegexp("^IdentityUserPool"), "ProviderURL"] },
        Audience: [{ Ref: Match.stringLikeRegexp("^IdentityUserPoolAppClient") }],
      },
    });
  });

  it("uses an external issuer instead, and creates no user pool, when one is configured", () => {
    const external = buildStack({
      jwtIssuer: "https://login.example.com/",
      jwtAudience: "vault-api",
    }).template;
    external.resourceCountIs("AWS::Cognito::UserPool", 0);
    external.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      JwtConfiguration: { Issuer: "https://login.example.com/", Audience: ["vault-api"] },
    });
    expect(Object.keys(external.findOutputs("UserPoolId"))).toHaveLength(0);
  });

  it("puts the catch-all v1 route behind the JWT authorizer", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
      RouteKey: "ANY /v1/{proxy+}",
      AuthorizationType: "JWT",
      AuthorizerId: { Ref: Match.stringLikeRegexp("JwtAuthorizer") },
    });
  });

  it("leaves only health, the OpenAPI document and the connect callback public", () => {
    const routes = template.findResources("AWS::ApiGatewayV2::Route");
    const authByRoute = Object.fromEntries(
      Object.values(routes).map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType]),
    );
    expect(authByRoute).toEqual({
      "ANY /v1/{proxy+}": "JWT",
      "GET /v1/health": "NONE",
      "GET /v1/openapi.json": "NONE",
      "GET /v1/connect/clevercloud/callback": "NONE",
    });
  });

  it("logs access as JSON to a log group and throttles the default stage", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^ApiAccessLogs"), "Arn"] },
        Format: Match.serializedJson(Match.objectLike({ requestId: "$context.requestId" })),
      },
    });
  });

  it("outputs the API URL, table, bucket, key, Glue names and user pool ids", () => {
    const outputs = Object.keys(template.findOutputs("*"));
    expect(outputs.sort()).toEqual(
      [
        "ApiUrl",
        "FocusDatabaseName",
        "FocusTableName",
        "ReportsBucketName",
        "SecretsKeyArn",
        "TableName",
        "UserPoolClientId",
        "UserPoolId",
      ].sort(),
    );
  });

  it("lets the app client read but never write tenant and roles, with SRP sign-in only", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      ReadAttributes: Match.arrayWith(["custom:roles", "custom:tenant"]),
      WriteAttributes: ["email"],
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AllowedOAuthFlows: Match.absent(),
    });
  });
});
