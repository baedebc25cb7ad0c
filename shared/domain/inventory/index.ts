export {
  CredentialRejected,
  type InventoryCollector,
  ResourceTypeFailed,
  type TypeFailureReason,
  UnknownResourceType,
} from "./collector";
export { parseProviderDate } from "./dates";
export type { InventoryProvider, InventoryResource } from "./resource";
