/** One object in a billing bucket, identified by bucket, key and ETag (a new ETag is a new version). */
export interface BillingObjectRef {
  bucket: string;
  region: string;
  key: string;
  etag: string;
  size: number;
}

export type ImportRunStatus = "running" | "succeeded" | "partial" | "failed";

export interface FileProblem {
  bucket: string;
  key: string;
  reason: string;
  /** Malformed rows: the first few, by line number. */
  rows?: Array<{ line: number; message: string }>;
}

/** One import of one credential's buckets: counts move as workers finish files. */
export interface ImportRun {
  tenant: string;
  id: string;
  credentialId: string;
  trigger: "schedule" | "manual";
  status: ImportRunStatus;
  /** True once every bucket was listed: until then more files may still be counted. */
  listingComplete: boolean;
  filesSeen: number;
  filesImported: number;
  filesSkipped: number;
  filesFailed: number;
  rowsImported: number;
  rowErrors: number;
  problems: FileProblem[];
  startedAt: string;
  finishedAt?: string;
}

/** What the last import of an object left: the active version, and the last attempt. */
export interface ObjectManifest {
  tenant: string;
  credentialId: string;
  objectId: string;
  bucket: string;
  key: string;
  /** The version whose costs count; its contribution items carry this ETag. */
  activeEtag?: string;
  activeChunks: string[];
  activeMonths: string[];
  activeRows: number;
  lastAttemptEtag: string;
  lastStatus: "imported" | "failed";
  lastReason?: string;
  updatedAt: string;
}

/** One summed cost line of one object on one day. Amounts are exact decimal strings. */
export interface CostGroup {
  day: string;
  currency: string;
  service: string;
  category: string;
  region: string;
  account: string;
  resource: string;
  cost: string | null;
  quantity: string;
}

export type ImportMessage =
  | { kind: "credential"; tenant: string; credentialId: string; importId: string }
  | { kind: "object"; tenant: string; credentialId: string; importId: string; object: BillingObjectRef };
