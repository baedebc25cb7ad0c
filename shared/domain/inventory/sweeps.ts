import type { Actor, CredentialService } from "../credentials/credentials";
import { InvalidInput, NotFound } from "../errors";
import type { Clock, IdGenerator, Page, PageQuery } from "../ports";
import { supportsMode } from "../providers/catalogue";
import { CredentialRejected, ResourceTypeFailed } from "./collector";
import { SweepDiffer } from "./diff";
import { type InventoryRun, REPORT_FILES, type SweepMessage } from "./model";
import type { CollectorFactory, InventoryReports, InventoryRunStore, ReportLinks, SweepQueue } from "./ports";

const LEASE_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 15 * 60;

export interface SweepWorkerDeps {
  /** The worker side: absent in the API Lambda, which only queues sweeps. */
  worker?: { collectors: CollectorFactory; reports: InventoryReports };
  progress?: (info: {
    tenant: string;
    credentialId: string;
    runId: string;
    type: string;
    count: number;
  }) => void;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Inventory sweeps: one message per credential; a worker lists every resource type, streams the
 * resources into the run's report folder, diffs them against the previous completed run, and
 * records counts and per-type errors. A lease keeps two sweeps of one credential apart.
 */
export class InventorySweeps {
  constructor(
    private readonly deps: {
      runs: InventoryRunStore;
      queue: SweepQueue;
      links: ReportLinks;
      credentials: CredentialService;
      clock: Clock;
      ids: IdGenerator;
    } & SweepWorkerDeps,
  ) {}

  async start(actor: Actor, credentialId: string, trigger: InventoryRun["trigger"]): Promise<InventoryRun> {
    const credential = await this.deps.credentials.get(actor, credentialId);
    if (!credential.modes.includes("inventory")) {
      throw new InvalidInput([{ path: "modes", message: "the credential is not in inventory mode" }]);
    }
    if (!supportsMode(credential.provider, "inventory")) {
      throw new InvalidInput([
        { path: "provider", message: `${credential.provider} credentials have no inventory` },
      ]);
    }
    const id = this.deps.ids.newId();
    const run: InventoryRun = {
      tenant: actor.tenant,
      id,
      credentialId,
      trigger,
      status: "running",
      total: 0,
      countsByType: {},
      countsByRegion: {},
      countsByState: {},
      errors: [],
      reportPrefix: `inventory/${actor.tenant}/${credentialId}/${id}/`,
      startedAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.runs.create(run);
    await this.deps.queue.send([{ kind: "sweep", tenant: actor.tenant, credentialId, runId: id }]);
    return run;
  }

  async getRun(actor: Actor, id: string) {
    const run = await this.deps.runs.get(actor.tenant, id);
    if (!run) throw new NotFound("inventory run");
    const ready = run.status !== "running";
    const downloads = ready
      ? Object.fromEntries(
          await Promise.all(
            REPORT_FILES.map(async (file) => [
              file,
              await this.deps.links.downloadUrl(`${run.reportPrefix}${file}`, DOWNLOAD_URL_SECONDS),
            ]),
          ),
        )
      : {};
    return { run, downloads };
  }

  listRuns(actor: Actor, page: PageQuery): Promise<Page<InventoryRun>> {
    return this.deps.runs.list(actor.tenant, page);
  }

  async handle(message: SweepMessage): Promise<void> {
    const run = await this.deps.runs.get(message.tenant, message.runId);
    if (run?.status !== "running") return;
    if (!(await this.deps.runs.acquireLease(run.tenant, run.credentialId, run.id, LEASE_SECONDS))) {
      await this.finish(run, "failed", [
        { type: "*", reason: "busy", message: "another sweep of this credential is running" },
      ]);
      return;
    }
    try {
      await this.sweep(run);
    } finally {
      await this.deps.runs.releaseLease(run.tenant, run.credentialId, run.id);
    }
  }

  private async sweep(run: InventoryRun): Promise<void> {
    const actor = { tenant: run.tenant, subject: "inventory-sweep" };
    const { opened } = await this.deps.credentials.settingsOf(actor, run.credentialId);
    const worker = this.deps.worker;
    if (!worker) throw new Error("this process is not wired to run sweeps (see shared/wiring-worker.ts)");
    const collector = worker.collectors(opened);
    const previous = await this.deps.runs.previousCompleted(run.tenant, run.credentialId, run.id);
    const differ = new SweepDiffer(previous?.id ?? null);
    if (previous)
      for await (const resource of worker.reports.readResources(previous.reportPrefix))
        differ.remember(resource);
    const writer = worker.reports.open(run.reportPrefix);
    const failedTypes = new Set<string>();
    let rejected: CredentialRejected | undefined;
    for (const type of collector.resourceTypes) {
      let count = 0;
      try {
        for await (const resource of collector.collect(type)) {
          await writer.writeResource(resource);
          differ.observe(resource);
          run.total++;
          count++;
          bump(run.countsByType, resource.type);
          bump(run.countsByRegion, resource.region);
          bump(run.countsByState, resource.state ?? "unknown");
        }
      } catch (error) {
        if (error instanceof ResourceTypeFailed) {
          failedTypes.add(type);
          run.errors.push({ type, reason: error.reason, message: error.message });
        } else if (error instanceof CredentialRejected) {
          rejected = error;
          break;
        } else throw error;
      }
      this.deps.progress?.({
        tenant: run.tenant,
        credentialId: run.credentialId,
        runId: run.id,
        type,
        count,
      });
    }
    if (rejected) {
      // A 401 stops the sweep at once: no other type is tried with a key the provider refuses.
      await writer.close();
      // A temporary lock (or an IP rule) stops the sweep, but says nothing against the secret itself.
      if (rejected.permanent) {
        await this.deps.credentials.recordCheck(actor, run.credentialId, {
          status: "invalid",
          error: rejected.message,
        });
      }
      await this.finish(run, "failed", [
        { type: "*", reason: "credential-rejected", message: rejected.message },
      ]);
      return;
    }
    const diff = differ.result(failedTypes);
    run.diff = {
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
      previousRunId: diff.previousRunId,
    };
    run.status = run.errors.length > 0 ? "partial" : "succeeded";
    run.finishedAt = this.deps.clock.now().toISOString();
    const summary = {
      runId: run.id,
      credentialId: run.credentialId,
      status: run.status,
      total: run.total,
      byType: run.countsByType,
      byRegion: run.countsByRegion,
      byState: run.countsByState,
      errors: run.errors,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
    };
    await writer.writeJson("summary.json", summary);
    await writer.writeJson("diff.json", diff);
    await writer.writeSummaryPage(run, diff);
    await writer.close();
    await this.deps.runs.save(run);
  }

  private async finish(run: InventoryRun, status: InventoryRun["status"], errors: InventoryRun["errors"]) {
    await this.deps.runs.save({
      ...run,
      status,
      errors: [...run.errors, ...errors],
      finishedAt: this.deps.clock.now().toISOString(),
    });
  }
}
