import type { ResourceChange, SweepDiff } from "./model";
import type { InventoryResource } from "./resource";

const COMPARED_FIELDS = ["name", "state", "zone", "region", "tags", "attributes"] as const;

/**
 * Tracks a sweep against the previous run: resources are compared by id as they stream in.
 * Memory is one entry per resource of the previous run (what a diff cannot avoid), not the
 * current run's records.
 */
export class SweepDiffer {
  private readonly previous = new Map<string, InventoryResource>();
  private readonly seen = new Set<string>();
  readonly added: SweepDiff["added"] = [];
  readonly changed: ResourceChange[] = [];

  constructor(readonly previousRunId: string | null) {}

  remember(resource: InventoryResource): void {
    this.previous.set(`${resource.type}/${resource.id}`, resource);
  }

  observe(resource: InventoryResource): void {
    const key = `${resource.type}/${resource.id}`;
    this.seen.add(key);
    const before = this.previous.get(key);
    if (!before) {
      if (this.previousRunId) this.added.push({ id: resource.id, type: resource.type, name: resource.name });
      return;
    }
    const fields = COMPARED_FIELDS.filter(
      (field) => JSON.stringify(before[field]) !== JSON.stringify(resource[field]),
    );
    if (fields.length > 0) this.changed.push({ id: resource.id, type: resource.type, fields: [...fields] });
  }

  /** Resources gone since the previous run; types that failed this time are not called removed. */
  result(failedTypes: Set<string>): SweepDiff {
    const removed = [...this.previous.entries()]
      .filter(([key, resource]) => !this.seen.has(key) && !failedTypes.has(resource.type))
      .map(([, resource]) => ({ id: resource.id, type: resource.type, name: resource.name }));
    return { previousRunId: this.previousRunId, added: this.added, removed, changed: this.changed };
  }
}
