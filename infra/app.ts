import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { type DeployConfig, DeployConfigError, readDeployConfig } from "./config";
import { readAppVersion } from "./project";
import { CredentialVaultStack } from "./stack";

const app = new App();

new CredentialVaultStack(app, "CredentialVault", {
  description: "Serverless multi-cloud credential vault",
  config: configOrExit(app),
  appVersion: readAppVersion(),
  // Account and region come from the CLI's profile; the stack needs no lookups.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// cdk-nag v3 runs as a policy-validation plugin: any unacknowledged finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

/** A bad `-c key=value` ends synth with one readable line naming the key, not a stack trace. */
function configOrExit(scope: App): DeployConfig {
  try {
    return readDeployConfig(scope.node);
  } catch (error) {
    if (!(error instanceof DeployConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
