import type { Credential } from "../domain/credentials/model";

/** The credential as clients see it: no ciphertext, no secret, identifiers masked. */
export function credentialView(credential: Credential) {
  return {
    id: credential.id,
    name: credential.name,
    provider: credential.provider,
    description: credential.description ?? null,
    modes: credential.modes,
    tags: credential.tags,
    settings: credential.publicSettings,
    secretFields: credential.secretFields,
    clusters: { count: credential.clusterCount },
    validation: credential.validation,
    version: credential.version,
    createdAt: credential.createdAt,
    createdBy: credential.createdBy,
    updatedAt: credential.updatedAt,
    updatedBy: credential.updatedBy,
    secretsRotatedAt: credential.secretsRotatedAt,
    lastUsedAt: credential.lastUsedAt ?? null,
  };
}
export type CredentialView = ReturnType<typeof credentialView>;
