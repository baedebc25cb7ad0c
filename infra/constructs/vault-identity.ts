import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

/**
 * VaultIdentity: a Cognito user pool + app client used as the JWT issuer/audience when no
 * external issuer is configured (`-c jwtIssuer=... -c jwtAudience=...`).
 *
 * Defaults:
 * - Admin-created users only (no self sign-up), sign-in by email, strong passwords,
 *   MFA required (TOTP), account recovery by email, Essentials plan, RETAIN on delete.
 * - Custom attributes `tenant` (immutable) and `roles`; ID tokens carry them as
 *   `custom:tenant` / `custom:roles` (set `tenantClaim` / `rolesClaim` to match).
 * - App client: SRP sign-in only (no OAuth/hosted UI flows), no secret, 1 h tokens; it may read but never write the custom
 *   attributes, so a user cannot change their own tenant or roles.
 */
export class VaultIdentity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, "UserPool", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      customAttributes: {
        tenant: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        roles: new StringAttribute({ minLen: 0, maxLen: 256, mutable: true }),
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG8",
      reason:
        "The built-in pool is the bootstrap issuer for small deployments; the Plus plan's threat " +
        "protection is billed per user, and production tenants are expected to bring their own " +
        "issuer via jwtIssuer/jwtAudience. MFA and a strong password policy are enforced here.",
    });

    const standardRead = { email: true, emailVerified: true };
    this.client = this.userPool.addClient("AppClient", {
      authFlows: { userSrp: true },
      // No hosted-UI OAuth flows (CDK would otherwise enable implicit grant with a placeholder URL).
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      readAttributes: new ClientAttributes()
        .withStandardAttributes(standardRead)
        .withCustomAttributes("tenant", "roles"),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });
  }

  /** The issuer URL the JWT authorizer checks (`iss` claim). */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
