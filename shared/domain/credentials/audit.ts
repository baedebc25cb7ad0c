import type { Page, PageQuery } from "../ports";
import type { Actor } from "./credentials";
import type { AuditEvent } from "./model";
import type { CredentialStore } from "./ports";

/** The audit trail, newest first; written by the store in the same transaction as each change. */
export class AuditTrail {
  constructor(private readonly store: CredentialStore) {}

  list(actor: Actor, query: PageQuery & { credentialId?: string }): Promise<Page<AuditEvent>> {
    return this.store.listAudit(actor.tenant, query);
  }
}
