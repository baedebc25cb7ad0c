import type { Page, PageQuery } from "../ports";
import type { ProviderSettings } from "../providers/catalogue";
import type { InventoryCollector } from "./collector";
import type { InventoryRun, SweepDiff, SweepMessage } from "./model";
import type { InventoryResource } from "./resource";

export interface InventoryRunStore {
  create(run: InventoryRun): Promise<void>;
  get(tenant: string, id: string): Promise<InventoryRun | undefined>;
  list(tenant: string, page: PageQuery): Promise<Page<InventoryRun>>;
  save(run: InventoryRun): Promise<void>;
  /** The newest finished (succeeded or partial) run of a credential before this one. */
  previousCompleted(
    tenant: string,
    credentialId: string,
    beforeRunId: string,
  ): Promise<InventoryRun | undefined>;
  /** A lease so two sweeps of one credential never run at once; false when another holds it. */
  acquireLease(tenant: string, credentialId: string, runId: string, ttlSeconds: number): Promise<boolean>;
  releaseLease(tenant: string, credentialId: string, runId: string): Promise<void>;
}

/** The report folder of one run: resources streamed as they come, then the small files. */
export interface InventoryReportWriter {
  writeResource(resource: InventoryResource): Promise<void>;
  writeJson(name: string, value: unknown): Promise<void>;
  /** `summary.html`: the run and its diff, readable in a browser. */
  writeSummaryPage(run: InventoryRun, diff: SweepDiff): Promise<void>;
  /** Ends the streamed files; resolves when everything is stored. */
  close(): Promise<void>;
}

export interface InventoryReports {
  open(prefix: string): InventoryReportWriter;
  /** The resources of an earlier run, streamed back from its resources.jsonl.gz. */
  readResources(prefix: string): AsyncIterable<InventoryResource>;
}

/** Short-lived download URLs for report files (presigned; no object is read to make one). */
export interface ReportLinks {
  downloadUrl(key: string, expiresInSeconds: number): Promise<string>;
}

export interface SweepQueue {
  send(messages: SweepMessage[]): Promise<void>;
}

/** The collector of one credential; called only for providers whose catalogue entry has one. */
export type CollectorFactory = (credential: ProviderSettings) => InventoryCollector;
