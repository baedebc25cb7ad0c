import type { Page, PageQuery } from "../ports";
import type { ProviderSettings } from "../providers/catalogue";
import type { Mode, OutboundUrlKind, ProviderId } from "../providers/types";
import type {
  AuditEvent,
  CheckOutcome,
  ClusterAssociation,
  Credential,
  EncryptedSecrets,
  EncryptionContext,
  ValidationResult,
} from "./model";

/** Seals secret settings with envelope encryption bound to an encryption context. */
export interface SecretSealer {
  seal(secrets: Record<string, unknown>, context: EncryptionContext): Promise<EncryptedSecrets>;
  /** Throws SecretsUndecryptable when the ciphertext was not sealed for this context. */
  open(sealed: EncryptedSecrets, context: EncryptionContext): Promise<Record<string, unknown>>;
}

export interface CredentialListQuery {
  limit: number;
  cursor?: string;
  provider?: ProviderId;
  mode?: Mode;
  nameContains?: string;
}

export interface IdempotencyClaim {
  key: string;
  requestHash: string;
}

/**
 * Persistence of credentials and everything keyed to them. Every method that changes state
 * writes its audit event in the same transaction, and enforces its rule with a condition:
 * names unique per tenant, versions checked, delete only while no cluster is associated.
 */
export interface CredentialStore {
  /** Throws NameTaken; returns the existing credential id when the idempotency key replays. */
  create(
    credential: Credential,
    audits: AuditEvent[],
    idempotency?: IdempotencyClaim,
  ): Promise<{ replayOf?: string }>;
  get(tenant: string, id: string): Promise<Credential | undefined>;
  list(tenant: string, query: CredentialListQuery): Promise<Page<Credential>>;
  /** Writes `next` if the stored version is still `expectedVersion`; handles the name guard on rename. */
  update(previous: Credential, next: Credential, audits: AuditEvent[]): Promise<void>;
  /** Throws InUse (with the cluster ids), VersionMismatch or NotFound. */
  delete(credential: Credential, expectedVersion: number | undefined, audit: AuditEvent): Promise<void>;
  listClusters(tenant: string, credentialId: string, page: PageQuery): Promise<Page<ClusterAssociation>>;
  /** Idempotent: returns created=false when the association already existed. Throws NotFound. */
  associate(
    association: ClusterAssociation,
    audit: AuditEvent,
  ): Promise<{ association: ClusterAssociation; created: boolean }>;
  /** Throws NotFound when the association does not exist. */
  dissociate(tenant: string, credentialId: string, clusterId: string, audit: AuditEvent): Promise<void>;
  listAudit(tenant: string, query: PageQuery & { credentialId?: string }): Promise<Page<AuditEvent>>;
  /**
   * Stores a check's result unless the secrets were rotated meanwhile (the result would describe
   * the old key): then throws ConcurrentModification. Throws NotFound if the credential is gone.
   */
  recordValidation(credential: Credential, validation: ValidationResult, audit: AuditEvent): Promise<void>;
  /** Every credential in a mode, across tenants (a sparse index): for the scheduled jobs only. */
  listInMode(mode: Mode): Promise<Array<{ tenant: string; id: string; provider: ProviderId }>>;
}

/** Calls the provider with a credential's full settings; provider failures are outcomes, not throws. */
export interface CredentialChecker {
  check(credential: ProviderSettings): Promise<CheckOutcome>;
}

/** Decides whether a user-supplied URL may be called; answers a problem message or undefined. */
export interface HostPolicy {
  check(url: string, kind: OutboundUrlKind): Promise<string | undefined>;
}
