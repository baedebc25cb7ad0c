import { join } from "node:path";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { type IGrantable, type IPrincipal, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { LAMBDA_ALIASES, LAMBDA_BANNER } from "../bundling";
import { functionEntry, REPO_ROOT } from "../project";

/**
 * VaultFunction: one Lambda with the team's defaults, so every function is one short call.
 *
 * Defaults:
 * - Node.js 22 (NODEJS_22_X) on ARM_64, 512 MB, 10 s timeout (override `timeout`, `memorySize`).
 * - Bundled locally with esbuild (never Docker): ESM, minified, source maps, target node22,
 *   `module` before `main`, a `require` shim banner for CommonJS dependencies, and every
 *   dependency bundled (AWS SDK included) so the versions tested are the versions deployed,
 *   the SDK's credential chain aliased to the environment provider (see ../bundling.ts).
 * - `NODE_OPTIONS=--enable-source-maps` so stack traces point at the TypeScript.
 * - Its own log group with the given retention, deleted with the function.
 * - Its own role with no managed policy: only write access to its own log group. Everything
 *   else is granted explicitly by the stack (see `access.ts`).
 */
export interface VaultFunctionProps {
  /** File name under `functions/`, exporting `handler`. */
  readonly entryFile: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
}

export class VaultFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: VaultFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs ${props.entryFile}`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.function = new NodejsFunction(this, "Function", {
      entry: functionEntry(props.entryFile),
      handler: "handler",
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      environment: { ...props.environment, NODE_OPTIONS: "--enable-source-maps" },
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        target: "node22",
        mainFields: ["module", "main"],
        banner: LAMBDA_BANNER,
        externalModules: [],
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_ALIASES).map(([name, target]) => [`--alias:${name}`, target]),
        ),
      },
    });
    Validations.of(this.function).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "Node.js 22 is pinned on purpose: it is the major the tests run on (the node@22 dev dependency) " +
        "and the one Middy v7 targets. Upgrade all functions and the test runtime together.",
    });
  }
}
