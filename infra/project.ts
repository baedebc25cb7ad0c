import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

/** The repository root: functions, the lockfile and package.json live here. */
export const REPO_ROOT = resolve(import.meta.dirname, "..");

/** Absolute path of a Lambda entry point under `functions/`. */
export function functionEntry(fileName: string): string {
  return join(REPO_ROOT, "functions", fileName);
}

const packageJsonSchema = z.object({ version: z.string().min(1) });

/** The version in package.json, handed to the functions as APP_VERSION. */
export function readAppVersion(): string {
  const raw: unknown = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  return packageJsonSchema.parse(raw).version;
}
