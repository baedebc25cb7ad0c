import type { CostQueries } from "../domain/billing/costs";
import type { BillingImports } from "../domain/billing/imports";
import type { ImportQueue } from "../domain/billing/ports";
import type { AuditTrail } from "../domain/credentials/audit";
import type { ClusterAssociations } from "../domain/credentials/clusters";
import type { CleverCloudConnect } from "../domain/credentials/connect";
import type { CredentialService } from "../domain/credentials/credentials";
import type { SweepQueue } from "../domain/inventory/ports";
import type { InventorySweeps } from "../domain/inventory/sweeps";

/** The use cases the HTTP API calls; wired once per process (see shared/wiring.ts). */
export interface ApiServices {
  credentials: CredentialService;
  clusters: ClusterAssociations;
  audit: AuditTrail;
  connect: CleverCloudConnect;
  billingImports: BillingImports;
  costs: CostQueries;
  /** Where import work goes; the in-process queue locally (tests wait on it going idle). */
  importQueue: ImportQueue;
  sweeps: InventorySweeps;
  sweepQueue: SweepQueue;
  appVersion: string;
}
