import {
  type OutscaleResource,
  RESOURCE_KINDS,
  ResourceGenerator,
  type ResourceKind,
  type SeedOptions,
} from "./outscale-generators";

export {
  type OutscaleResource,
  RESOURCE_KINDS,
  type ResourceKind,
  type SeedOptions,
} from "./outscale-generators";

/** The per-account store of OUTSCALE inventory objects the fake serves. */
export class OutscaleStore {
  private readonly byAccount = new Map<string, Map<ResourceKind, OutscaleResource[]>>();
  private readonly usedIds = new Set<string>();
  readonly generator: ResourceGenerator;

  constructor(
    readonly region: string,
    seed = 1,
  ) {
    this.generator = new ResourceGenerator(region, seed, (id) => this.usedIds.has(id));
  }

  /** A realistic new object of `kind` for `accountId` (not stored). */
  generate(accountId: string, kind: ResourceKind, options: SeedOptions = {}): OutscaleResource {
    return this.generator.generate(accountId, kind, options);
  }

  list(accountId: string, kind: ResourceKind): OutscaleResource[] {
    const kinds = this.byAccount.get(accountId) ?? new Map<ResourceKind, OutscaleResource[]>();
    this.byAccount.set(accountId, kinds);
    const list = kinds.get(kind) ?? [];
    kinds.set(kind, list);
    return list;
  }

  /** Images and snapshots the caller may see: its own, and those shared with it or with everyone. */
  visible(callerAccountId: string, kind: ResourceKind): OutscaleResource[] {
    if (kind !== "Images" && kind !== "Snapshots") return this.list(callerAccountId, kind);
    const permissionField = kind === "Images" ? "PermissionsToLaunch" : "PermissionsToCreateVolume";
    return [...this.byAccount.keys()].flatMap((owner) =>
      this.list(owner, kind).filter((resource) => {
        if (owner === callerAccountId) return true;
        const permissions = resource[permissionField] as
          | { GlobalPermission?: boolean; AccountIds?: string[] }
          | undefined;
        return permissions?.GlobalPermission === true || !!permissions?.AccountIds?.includes(callerAccountId);
      }),
    );
  }

  add(accountId: string, kind: ResourceKind, resource: OutscaleResource): OutscaleResource {
    const idField = RESOURCE_KINDS[kind].idField;
    const id = resource[idField];
    if (typeof id !== "string") throw new Error(`a ${kind} resource needs a string ${idField}`);
    if (this.find(accountId, kind, id)) throw new Error(`${id} already exists`);
    this.usedIds.add(id);
    this.list(accountId, kind).push(resource);
    return resource;
  }

  find(accountId: string, kind: ResourceKind, id: string): OutscaleResource | undefined {
    const idField = RESOURCE_KINDS[kind].idField;
    return this.list(accountId, kind).find((resource) => resource[idField] === id);
  }

  remove(accountId: string, kind: ResourceKind, id: string): boolean {
    const list = this.list(accountId, kind);
    const index = list.findIndex((resource) => resource[RESOURCE_KINDS[kind].idField] === id);
    if (index >= 0) list.splice(index, 1);
    return index >= 0;
  }

  update(accountId: string, kind: ResourceKind, id: string, patch: OutscaleResource): OutscaleResource {
    const resource = this.find(accountId, kind, id);
    if (!resource) throw new Error(`no ${kind} ${id} in account ${accountId}`);
    return Object.assign(resource, patch);
  }

  seed(accountId: string, kind: ResourceKind, count: number, options: SeedOptions = {}): OutscaleResource[] {
    return Array.from({ length: count }, () =>
      this.add(accountId, kind, { ...this.generate(accountId, kind, options), ...options.overrides }),
    );
  }
}
