import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Stands in for `@aws-sdk/credential-provider-node` in Lambda bundles only (an esbuild alias in
 * infra/bundling.ts). Lambda hands the execution role's credentials over as environment
 * variables, so the SDK's full chain (SSO, ini files, STS web identity, IMDS: ~90 KB minified)
 * is dead weight at every cold start. Tests and the local stack use the real chain.
 */
export const defaultProvider = () => fromEnv();
