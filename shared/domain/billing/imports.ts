import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Actor, CredentialService } from "../credentials/credentials";
import { DomainError, InvalidInput, NotFound, ProviderRefused } from "../errors";
import type { Clock, IdGenerator, Page, PageQuery } from "../ports";
import { supportsMode } from "../providers/catalogue";
import type {
  BillingObjectRef,
  CostGroup,
  FileProblem,
  ImportMessage,
  ImportRun,
  ObjectManifest,
} from "./model";
import type {
  BillingBucketReader,
  BillingKeys,
  ConsumptionApi,
  CostStore,
  FocusFileSink,
  ImportQueue,
  ImportRunStore,
} from "./ports";

/** What parsing one object produced (see process.ts). */
export interface ProcessedObject {
  groups: CostGroup[];
  rows: number;
  rowErrors: number;
  sampleRowErrors: Array<{ line: number; message: string }>;
  months: string[];
}

/** Thrown for a file that cannot be read at all (bad gzip, not CSV/JSON): it fails, the others go on. */
export class UnreadableFile extends DomainError {}

export interface ImportWorkerDeps {
  reader: BillingBucketReader;
  consumptionApi: ConsumptionApi;
  sink: FocusFileSink;
  processObject: ProcessObject;
  progress?: ImportProgress;
}

export type ProcessObject = (
  body: Readable,
  object: BillingObjectRef,
  context: {
    credentialId: string;
    open: FocusFileSink["open"];
    location: { tenant: string; objectId: string };
  },
) => Promise<ProcessedObject>;

export interface ImportProgress {
  fileDone(info: {
    tenant: string;
    importId: string;
    key: string;
    outcome: string;
    rows: number;
    seconds: number;
  }): void;
}

/** An object's stable id: bucket and key hashed (keys may hold any character). */
export function objectIdOf(object: { bucket: string; key: string }): string {
  return createHash("sha256").update(`${object.bucket}/${object.key}`).digest("hex").slice(0, 32);
}

const ENQUEUE_BATCH = 10;

/** The pseudo-bucket of days read from ReadConsumptionAccount (a real bucket name cannot hold capitals). */
export const CONSUMPTION_API_SOURCE = "ReadConsumptionAccount";
/** Days read from the API: the last month, up to yesterday; the last few are re-read daily, as figures settle. */
const API_LOOKBACK_DAYS = 31;
const API_UNSETTLED_DAYS = 3;

/**
 * FinOps imports: enumerate a credential's billing buckets, then import each object not yet
 * imported at its current ETag. An object's costs are written as a new version and only then made
 * the counted one, so a re-run never doubles them and a crash mid-file leaves nothing counted.
 */
export class BillingImports {
  constructor(
    private readonly deps: {
      runs: ImportRunStore;
      costs: CostStore;
      queue: ImportQueue;
      /** The worker side (reading sources, writing files): absent in the API Lambda, which only queues. */
      worker?: ImportWorkerDeps;
      credentials: CredentialService;
      clock: Clock;
      ids: IdGenerator;
    },
  ) {}

  private get worker(): ImportWorkerDeps {
    if (!this.deps.worker)
      throw new Error("this process is not wired to run imports (see shared/wiring-worker.ts)");
    return this.deps.worker;
  }

  /** Starts an import of one credential now (the route) or on schedule; answers the run. */
  async start(
    actor: Actor,
    credentialId: string,
    trigger: ImportRun["trigger"],
    options: { enumerateNow?: boolean } = {},
  ): Promise<ImportRun> {
    const credential = await this.deps.credentials.get(actor, credentialId);
    if (!credential.modes.includes("finops")) {
      throw new InvalidInput([{ path: "modes", message: "the credential is not in finops mode" }]);
    }
    if (!supportsMode(credential.provider, "finops")) {
      throw new InvalidInput([
        { path: "provider", message: `${credential.provider} credentials have no FinOps importer yet` },
      ]);
    }
    const run: ImportRun = {
      tenant: actor.tenant,
      id: this.deps.ids.newId(),
      credentialId,
      trigger,
      status: "running",
      listingComplete: false,
      filesSeen: 0,
      filesImported: 0,
      filesSkipped: 0,
      filesFailed: 0,
      rowsImported: 0,
      rowErrors: 0,
      problems: [],
      startedAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.runs.create(run);
    const listing = { kind: "credential" as const, tenant: actor.tenant, credentialId, importId: run.id };
    // The schedule lists the buckets itself (one message per object); the API hands listing to a worker.
    if (options.enumerateNow) await this.enumerate(listing);
    else await this.deps.queue.send([listing]);
    return run;
  }

  async getRun(actor: Actor, id: string): Promise<ImportRun> {
    const run = await this.deps.runs.get(actor.tenant, id);
    if (!run) throw new NotFound("billing import");
    return run;
  }

  listRuns(actor: Actor, page: PageQuery): Promise<Page<ImportRun>> {
    return this.deps.runs.list(actor.tenant, page);
  }

  /** One queue message: list a credential's buckets, or import one object. */
  handle(message: ImportMessage): Promise<void> {
    return message.kind === "credential" ? this.enumerate(message) : this.importObject(message);
  }

  /** Billing keys and buckets, or, for an `outscale` credential, its API keys and region. */
  private async billingSource(tenant: string, credentialId: string) {
    const { opened } = await this.deps.credentials.settingsOf(
      { tenant, subject: "billing-import" },
      credentialId,
    );
    switch (opened.provider) {
      case "outscale":
        return { kind: "api" as const, keys: opened.settings };
      case "outscale-billing": {
        const { billingAccessKey, billingSecretKey, buckets } = opened.settings;
        const keys: BillingKeys = { accessKey: billingAccessKey, secretKey: billingSecretKey };
        return { kind: "buckets" as const, keys, buckets };
      }
      case "clevercloud":
        // start() refuses providers without an importer; a message can outlive a mode change.
        throw new InvalidInput([
          { path: "provider", message: "clevercloud credentials have no FinOps importer yet" },
        ]);
    }
  }

  /** The days to read from the API, each with a version that changes while its figures may. */
  private apiDays(region: string): BillingObjectRef[] {
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    const todayMs = Date.parse(`${today}T00:00:00Z`);
    return Array.from({ length: API_LOOKBACK_DAYS }, (_, index) => {
      const daysAgo = API_LOOKBACK_DAYS - index;
      const day = new Date(todayMs - daysAgo * 86_400_000).toISOString().slice(0, 10);
      return {
        bucket: CONSUMPTION_API_SOURCE,
        region,
        key: `${day}.json`,
        etag: daysAgo <= API_UNSETTLED_DAYS ? `read-${today}` : "settled",
        size: 0,
      };
    });
  }

  private async enumerate(message: Extract<ImportMessage, { kind: "credential" }>): Promise<void> {
    const source = await this.billingSource(message.tenant, message.credentialId);
    if (source.kind === "api") {
      const days = this.apiDays(source.keys.region);
      // One call first: a refused key must not be tried once per day (OUTSCALE locks a key after
      // four bad signatures in a row).
      try {
        await this.worker.consumptionApi.readDay(source.keys, days.at(-1)!.key.replace(/\.json$/, ""));
      } catch (error) {
        if (!(error instanceof ProviderRefused)) throw error;
        await this.deps.runs.addSeen(message.tenant, message.importId, 1, true);
        await this.deps.runs.recordFile(
          message.tenant,
          message.importId,
          "failed",
          { rows: 0, rowErrors: 0 },
          { bucket: CONSUMPTION_API_SOURCE, key: "(first call)", reason: error.message },
        );
        return;
      }
      await this.deps.runs.addSeen(message.tenant, message.importId, days.length, false);
      await this.deps.queue.send(days.map((object) => ({ ...message, kind: "object" as const, object })));
    }
    const { keys } = source;
    for (const bucket of source.kind === "buckets" ? source.buckets : []) {
      let batch: ImportMessage[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await this.deps.runs.addSeen(message.tenant, message.importId, batch.length, false);
        await this.deps.queue.send(batch);
        batch = [];
      };
      for await (const object of this.worker.reader.list(keys, bucket)) {
        batch.push({ ...message, kind: "object", object });
        if (batch.length >= ENQUEUE_BATCH) await flush();
      }
      await flush();
    }
    await this.deps.runs.addSeen(message.tenant, message.importId, 0, true);
  }

  private async importObject(message: Extract<ImportMessage, { kind: "object" }>): Promise<void> {
    const started = performance.now();
    const { tenant, credentialId, importId, object } = message;
    const objectId = objectIdOf(object);
    const manifest = await this.deps.costs.getManifest(tenant, credentialId, objectId);
    const report = (outcome: string, rows: number) =>
      this.worker.progress?.fileDone({
        tenant,
        importId,
        key: object.key,
        outcome,
        rows,
        seconds: (performance.now() - started) / 1000,
      });
    if (manifest?.lastAttemptEtag === object.etag) {
      await this.deps.runs.recordFile(tenant, importId, "skipped", { rows: 0, rowErrors: 0 });
      report("skipped (already imported at this ETag)", 0);
      return;
    }
    const base: ObjectManifest = {
      tenant,
      credentialId,
      objectId,
      bucket: object.bucket,
      key: object.key,
      activeEtag: manifest?.activeEtag,
      activeChunks: manifest?.activeChunks ?? [],
      activeMonths: manifest?.activeMonths ?? [],
      activeRows: manifest?.activeRows ?? 0,
      lastAttemptEtag: object.etag,
      lastStatus: "imported",
      updatedAt: this.deps.clock.now().toISOString(),
    };
    const source = await this.billingSource(tenant, credentialId);
    let processed: ProcessedObject;
    try {
      const body =
        source.kind === "api"
          ? await this.worker.consumptionApi.readDay(source.keys, object.key.replace(/\.json$/, ""))
          : await this.worker.reader.open(source.keys, object);
      processed = await this.worker.processObject(body, object, {
        credentialId,
        open: this.worker.sink.open.bind(this.worker.sink),
        location: { tenant, objectId },
      });
    } catch (error) {
      // Unreadable content, or a provider that refuses the key: retrying would change nothing.
      if (!(error instanceof UnreadableFile || error instanceof ProviderRefused)) throw error;
      // The previously counted version, if any, stays counted.
      await this.deps.costs.recordFailure({ ...base, lastStatus: "failed", lastReason: error.message });
      const problem: FileProblem = { bucket: object.bucket, key: object.key, reason: error.message };
      await this.deps.runs.recordFile(tenant, importId, "failed", { rows: 0, rowErrors: 0 }, problem);
      report(`failed: ${error.message}`, 0);
      return;
    }
    const chunks = await this.deps.costs.writeContribution(
      tenant,
      credentialId,
      objectId,
      object.etag,
      processed.groups,
    );
    await this.deps.costs.commitManifest(
      {
        ...base,
        activeEtag: object.etag,
        activeChunks: chunks,
        activeMonths: processed.months,
        activeRows: processed.rows,
      },
      manifest?.activeEtag,
    );
    // The old version no longer counts: remove its items and the FOCUS files of months it alone had.
    const staleChunks = (manifest?.activeChunks ?? []).filter((chunk) => !chunks.includes(chunk));
    await this.deps.costs.deleteChunks(tenant, staleChunks);
    for (const month of (manifest?.activeMonths ?? []).filter((month) => !processed.months.includes(month))) {
      await this.worker.sink.remove({ tenant, month, credentialId, objectId });
    }
    const problem: FileProblem | undefined =
      processed.rowErrors > 0
        ? {
            bucket: object.bucket,
            key: object.key,
            reason: `${processed.rowErrors} malformed row(s) skipped`,
            rows: processed.sampleRowErrors,
          }
        : undefined;
    await this.deps.runs.recordFile(
      tenant,
      importId,
      "imported",
      { rows: processed.rows, rowErrors: processed.rowErrors },
      problem,
    );
    report("imported", processed.rows);
  }
}
