import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { LAMBDA_ESBUILD_OPTIONS } from "../infra/bundling";

/** The Lambda entry points, bundled with the same options as the CDK VaultFunction. */
export const LAMBDA_ENTRIES = [
  "functions/api.ts",
  "functions/billing-import.ts",
  "functions/billing-import-worker.ts",
  "functions/inventory-sweep.ts",
  "functions/inventory-worker.ts",
];

export async function bundleSizes(outDir: string) {
  const sizes: Array<{ entry: string; bytes: number; gzipBytes: number }> = [];
  for (const entry of LAMBDA_ENTRIES) {
    const outfile = join(outDir, entry.replace(/\.ts$/, ".mjs"));
    await build({
      entryPoints: [entry],
      outfile,
      ...LAMBDA_ESBUILD_OPTIONS,
      logLevel: "error",
    });
    const code = readFileSync(outfile);
    sizes.push({ entry, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength });
  }
  return sizes;
}
