import type { BuildOptions } from "esbuild";

/**
 * How every Lambda is bundled; the CDK VaultFunction and bench/bundle-size.ts both read this, so
 * the size measured is the size deployed.
 * - ESM, minified, target node22, `module` before `main`, a `require` shim for CommonJS deps.
 * - The AWS SDK's credential chain is aliased to the environment provider: Lambda hands the
 *   role's credentials over as environment variables, and the full chain is ~90 KB minified.
 */
export const LAMBDA_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  "@aws-sdk/credential-provider-node": "./shared/adapters/aws/lambda-credentials.ts",
};

export const LAMBDA_ESBUILD_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  platform: "node",
  target: "node22",
  format: "esm",
  mainFields: ["module", "main"],
  banner: { js: LAMBDA_BANNER },
  alias: { ...LAMBDA_ALIASES },
};
