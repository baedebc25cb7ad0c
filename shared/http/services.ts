import type { AuditTrail } from "../domain/audit";
import type { ClusterAssociations } from "../domain/clusters";
import type { CleverCloudConnect } from "../domain/connect";
import type { CredentialService } from "../domain/credentials";

/** The use cases the HTTP API calls; wired once per process (see shared/wiring.ts). */
export interface ApiServices {
  credentials: CredentialService;
  clusters: ClusterAssociations;
  audit: AuditTrail;
  connect: CleverCloudConnect;
  appVersion: string;
}
