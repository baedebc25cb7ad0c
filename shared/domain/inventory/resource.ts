/** One resource found by an inventory sweep, the same shape for every provider. Pure: no SDKs. */
export type InventoryProvider = "outscale" | "clevercloud";

export interface InventoryResource {
  provider: InventoryProvider;
  /** OUTSCALE account id, or the Clever Cloud organisation (or personal space) id. */
  accountId: string;
  region: string;
  zone: string | null;
  /** `vm`, `volume`, `application`, ... */
  type: string;
  id: string;
  name: string | null;
  state: string | null;
  tags: Record<string, string>;
  /** ISO 8601 UTC, or null when the provider gives none (the sweep then records first seen). */
  createdAt: string | null;
  /** A few provider fields worth showing (size, flavour, IP range...). */
  attributes: Record<string, unknown>;
}
