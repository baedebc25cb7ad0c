import type { InventoryResource } from "./resource";

export type SweepStatus = "running" | "succeeded" | "partial" | "failed";

export const REPORT_FILES = [
  "resources.jsonl.gz",
  "resources.csv",
  "summary.json",
  "diff.json",
  "summary.html",
] as const;

/** One sweep of one credential: what it found, what failed, where its reports are. */
export interface InventoryRun {
  tenant: string;
  id: string;
  credentialId: string;
  trigger: "schedule" | "manual";
  status: SweepStatus;
  total: number;
  countsByType: Record<string, number>;
  countsByRegion: Record<string, number>;
  countsByState: Record<string, number>;
  /** Per resource type that could not be read (the others still landed). */
  errors: Array<{ type: string; reason: string; message: string }>;
  diff?: { added: number; removed: number; changed: number; previousRunId: string | null };
  /** `inventory/<tenant>/<credentialId>/<runId>/` in the reports bucket. */
  reportPrefix: string;
  startedAt: string;
  finishedAt?: string;
}

export interface ResourceChange {
  id: string;
  type: string;
  fields: string[];
}

export interface SweepDiff {
  previousRunId: string | null;
  added: Array<Pick<InventoryResource, "id" | "type" | "name">>;
  removed: Array<Pick<InventoryResource, "id" | "type" | "name">>;
  changed: ResourceChange[];
}

export type SweepMessage = { kind: "sweep"; tenant: string; credentialId: string; runId: string };
