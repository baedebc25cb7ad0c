import type { AuditTrail } from "../domain/audit";
import type { CostQueries } from "../domain/billing/costs";
import type { BillingImports } from "../domain/billing/imports";
import type { ImportQueue } from "../domain/billing/ports";
import type { ClusterAssociations } from "../domain/clusters";
import type { CleverCloudConnect } from "../domain/connect";
import type { CredentialService } from "../domain/credentials";
import type { SweepQueue } from "../domain/sweeps/ports";
import type { InventorySweeps } from "../domain/sweeps/sweeps";

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
