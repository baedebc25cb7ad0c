import type { ProviderSettings } from "../providers/catalogue";
import type { Mode, ProviderId } from "../providers/types";

export type Tags = Record<string, string>;

export type ValidationStatus = "valid" | "invalid" | "unreachable" | "unknown";

export interface ValidationResult {
  status: ValidationStatus;
  checkedAt?: string;
  identity?: Record<string, unknown>;
  error?: string;
}

/** Secrets as stored: an AES-256-GCM ciphertext and its data key, wrapped by KMS (or the local key). */
export interface EncryptedSecrets {
  algorithm: "AES-256-GCM";
  /** Which key wrapped the data key (KMS key ARN, or `local:<fingerprint>`). */
  keyId: string;
  encryptedDataKey: string;
  iv: string;
  ciphertext: string;
  authTag: string;
}

/** The binding of a ciphertext: it opens only for this tenant and credential. */
export interface EncryptionContext {
  tenant: string;
  credentialId: string;
}

export interface Credential {
  tenant: string;
  id: string;
  name: string;
  provider: ProviderId;
  description?: string;
  modes: Mode[];
  tags: Tags;
  /** Settings safe to show: secrets absent, identifiers masked, proxy without password. */
  publicSettings: Record<string, unknown>;
  /** Names of the secret fields stored in `encryptedSecrets`. */
  secretFields: string[];
  encryptedSecrets: EncryptedSecrets;
  clusterCount: number;
  validation: ValidationResult;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  secretsRotatedAt: string;
  lastUsedAt?: string;
}

export interface ClusterAssociation {
  tenant: string;
  credentialId: string;
  clusterId: string;
  name?: string;
  associatedAt: string;
  associatedBy: string;
}

export type AuditAction =
  | "credential.created"
  | "credential.updated"
  | "credential.deleted"
  | "credential.cluster_associated"
  | "credential.cluster_dissociated"
  | "credential.validated";

/** An audit event records who changed what, by field name: never a value of a secret. */
export interface AuditEvent {
  tenant: string;
  id: string;
  at: string;
  actor: string;
  action: AuditAction;
  credentialId: string;
  credentialName: string;
  changedFields?: string[];
  secretsRotated?: boolean;
  clusterId?: string;
  validationStatus?: ValidationStatus;
  requestId?: string;
}

/** Names are unique per tenant case-insensitively: this is the form that is compared. */
export function credentialNameKey(name: string): string {
  return name.normalize("NFKC").toLowerCase();
}

/** What a provider check found; stored on the credential with the time of the check. */
export interface CheckOutcome {
  status: "valid" | "invalid" | "unreachable";
  identity?: Record<string, unknown>;
  error?: string;
}

/** A new credential: its provider and settings (secrets included), and what describes it. */
export type CreateCredentialInput = ProviderSettings & {
  name: string;
  description?: string;
  modes?: Mode[];
  tags?: Tags;
};

/** A patch: rename, describe, retag, change modes, edit or rotate settings (null removes a field). */
export interface UpdateCredentialInput {
  name?: string;
  description?: string | null;
  modes?: Mode[];
  tags?: Tags | null;
  settings?: Record<string, unknown>;
}

export interface AssociateClusterInput {
  name?: string;
}
