/** The single-table key layout (see architecture.md), tenant first in every partition key. */
export const keys = {
  tenant: (tenant: string) => `TENANT#${tenant}`,
  credential: (id: string) => `CRED#${id}`,
  nameGuard: (nameKey: string) => `CREDNAME#${nameKey}`,
  clusterPrefix: (credentialId: string) => `CRED#${credentialId}#CLUSTER#`,
  cluster: (credentialId: string, clusterId: string) => `CRED#${credentialId}#CLUSTER#${clusterId}`,
  auditPrefix: "AUDIT#",
  audit: (at: string, id: string) => `AUDIT#${at}#${id}`,
  idempotency: (key: string) => `IDEMPOTENCY#${key}`,
  pendingConnection: (id: string) => `CONNECT#${id}`,
  importRunPrefix: "IMPORT#",
  importRun: (id: string) => `IMPORT#${id}`,
  billingObject: (credentialId: string, objectId: string) => `BILLOBJ#${credentialId}#${objectId}`,
  costDayPrefix: "COSTDAY#",
  costDay: (day: string, credentialId: string, objectId: string, etag: string, chunk: number) =>
    `COSTDAY#${day}#${credentialId}#${objectId}#${etag}#${String(chunk).padStart(4, "0")}`,
  inventoryRunPrefix: "INVRUN#",
  inventoryRun: (id: string) => `INVRUN#${id}`,
  sweepLease: (credentialId: string) => `SWEEPLEASE#${credentialId}`,
  inventoryRunsByCredential: (tenant: string, credentialId: string) =>
    `TENANT#${tenant}#INVRUNS#${credentialId}`,
  /** gsi2 (finops) and gsi3 (inventory): credentials in a mode, across tenants. */
  modeIndex: (mode: "finops" | "inventory") => `MODE#${mode}`,
  /** gsi1: credentials of a tenant sorted by name; audit events of one credential by time. */
  credentialsByName: (tenant: string) => `TENANT#${tenant}#CREDS`,
  auditByCredential: (tenant: string, credentialId: string) => `TENANT#${tenant}#AUDIT#CRED#${credentialId}`,
} as const;

export const GSI1 = "gsi1";
export const GSI2_FINOPS = "gsi2";
export const GSI3_INVENTORY = "gsi3";
