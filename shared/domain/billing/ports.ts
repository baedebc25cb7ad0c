import type { Readable } from "node:stream";
import type { Page, PageQuery } from "../ports";
import type { BillingBucket } from "../providers/outscale";
import type {
  BillingObjectRef,
  CostGroup,
  FileProblem,
  ImportMessage,
  ImportRun,
  ObjectManifest,
} from "./model";

export interface BillingKeys {
  accessKey: string;
  secretKey: string;
  proxy?: string;
}

/** Reads billing buckets on OUTSCALE's object storage. */
export interface BillingBucketReader {
  list(keys: BillingKeys, bucket: BillingBucket): AsyncIterable<BillingObjectRef>;
  open(keys: BillingKeys, object: BillingObjectRef): Promise<Readable>;
}

/** OUTSCALE's consumption API, one day at a time: for `outscale` credentials with no billing bucket. */
export interface ConsumptionApi {
  readDay(
    keys: { accessKey: string; secretKey: string; region: string; proxy?: string },
    day: string,
  ): Promise<Readable>;
}

export interface ImportQueue {
  send(messages: ImportMessage[]): Promise<void>;
}

/** Where normalised FOCUS files land (the reports bucket), one stream per billing month. */
export interface FocusFileSink {
  /**
   * The FOCUS file of one month: `write` takes CSV bytes (FocusCsvWriter's chunks) and resolves
   * when more may be written; `done` resolves once the file is stored.
   */
  open(location: { tenant: string; month: string; credentialId: string; objectId: string }): {
    write(csv: Uint8Array): Promise<void>;
    done(): Promise<void>;
  };
  remove(location: { tenant: string; month: string; credentialId: string; objectId: string }): Promise<void>;
}

export interface ImportRunStore {
  create(run: ImportRun): Promise<void>;
  get(tenant: string, id: string): Promise<ImportRun | undefined>;
  list(tenant: string, page: PageQuery): Promise<Page<ImportRun>>;
  addSeen(tenant: string, id: string, files: number, listingComplete: boolean): Promise<void>;
  recordFile(
    tenant: string,
    id: string,
    outcome: "imported" | "skipped" | "failed",
    counts: { rows: number; rowErrors: number },
    problem?: FileProblem,
  ): Promise<void>;
}

export interface CostStore {
  getManifest(tenant: string, credentialId: string, objectId: string): Promise<ObjectManifest | undefined>;
  /** Writes a version's contribution (not yet counted); answers the chunk keys written. */
  writeContribution(
    tenant: string,
    credentialId: string,
    objectId: string,
    etag: string,
    groups: CostGroup[],
  ): Promise<string[]>;
  /** Makes `next` the counted version if the manifest still holds `previousEtag`. */
  commitManifest(next: ObjectManifest, previousEtag: string | undefined): Promise<void>;
  recordFailure(manifest: ObjectManifest): Promise<void>;
  deleteChunks(tenant: string, chunkKeys: string[]): Promise<void>;
  /** The counted cost groups of [from, to), optionally for one credential. */
  queryCosts(
    tenant: string,
    from: string,
    to: string,
    credentialId?: string,
  ): Promise<Array<CostGroup & { credentialId: string }>>;
}
