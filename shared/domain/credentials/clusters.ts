import { NotFound } from "../errors";
import type { Clock, Page, PageQuery } from "../ports";
import { parseOrThrow } from "../validation";
import type { Actor, CredentialService } from "./credentials";
import { clusterIdSchema } from "./ids";
import type { AssociateClusterInput, ClusterAssociation } from "./model";
import type { CredentialStore } from "./ports";

/** Which clusters use a credential. The count on the credential is what makes delete safe. */
export class ClusterAssociations {
  constructor(
    private readonly deps: { store: CredentialStore; clock: Clock; credentials: CredentialService },
  ) {}

  async list(actor: Actor, credentialId: string, page: PageQuery): Promise<Page<ClusterAssociation>> {
    await this.deps.credentials.get(actor, credentialId);
    return this.deps.store.listClusters(actor.tenant, credentialId, page);
  }

  async associate(
    actor: Actor,
    credentialId: string,
    clusterId: string,
    input: AssociateClusterInput,
  ): Promise<{ association: ClusterAssociation; created: boolean }> {
    parseOrThrow(clusterIdSchema, clusterId, ["clusterId"]);
    const credential = await this.deps.credentials.get(actor, credentialId);
    const association: ClusterAssociation = {
      tenant: actor.tenant,
      credentialId,
      clusterId,
      name: input.name,
      associatedAt: this.deps.clock.now().toISOString(),
      associatedBy: actor.subject,
    };
    const audit = this.deps.credentials.auditEvent(actor, credential, "credential.cluster_associated", {
      clusterId,
    });
    return this.deps.store.associate(association, audit);
  }

  async dissociate(actor: Actor, credentialId: string, clusterId: string): Promise<void> {
    const credential = await this.deps.credentials.get(actor, credentialId);
    if (!clusterIdSchema.safeParse(clusterId).success) throw new NotFound("cluster association");
    const audit = this.deps.credentials.auditEvent(actor, credential, "credential.cluster_dissociated", {
      clusterId,
    });
    await this.deps.store.dissociate(actor.tenant, credentialId, clusterId, audit);
  }
}
