import {
  CredentialRejected,
  type InventoryCollector,
  ResourceTypeFailed,
  UnknownResourceType,
} from "../../domain/inventory/collector";
import { parseProviderDate } from "../../domain/inventory/dates";
import { compact, type JsonObject, objectOf, stringOf } from "../../domain/inventory/fields";
import type { InventoryResource } from "../../domain/inventory/resource";
import type { ProviderEnvironment } from "../environment";
import { Unreachable } from "../http/outbound";
import { CleverCloudApiError, type CleverCloudAuth, CleverCloudClient } from "./client";

type CleverType = "application" | "addon";

const SECTIONS: Record<CleverType, "applications" | "addons"> = {
  application: "applications",
  addon: "addons",
};

export const CLEVERCLOUD_RESOURCE_TYPES: readonly CleverType[] = ["application", "addon"];

function applicationRecord(ownerId: string, raw: JsonObject): Omit<InventoryResource, "id"> {
  const instance = objectOf(raw.instance);
  const zone = stringOf(raw.zone);
  return {
    provider: "clevercloud",
    accountId: ownerId,
    region: zone ?? "unknown",
    zone,
    type: "application",
    name: stringOf(raw.name),
    state: stringOf(raw.state),
    tags: {},
    createdAt: parseProviderDate(raw.creationDate),
    attributes: compact({
      instanceType: stringOf(instance.type),
      variant: stringOf(objectOf(instance.variant).slug),
      minFlavor: stringOf(objectOf(instance.minFlavor).name),
      maxFlavor: stringOf(objectOf(instance.maxFlavor).name),
      minInstances: instance.minInstances,
      maxInstances: instance.maxInstances,
      deploymentType: stringOf(objectOf(raw.deployment).type),
      archived: raw.archived,
    }),
  };
}

function addonRecord(ownerId: string, raw: JsonObject): Omit<InventoryResource, "id"> {
  const region = stringOf(raw.region);
  const plan = objectOf(raw.plan);
  return {
    provider: "clevercloud",
    accountId: ownerId,
    region: region ?? "unknown",
    zone: region,
    type: "addon",
    name: stringOf(raw.name),
    state: stringOf(raw.state),
    tags: {},
    createdAt: parseProviderDate(raw.creationDate),
    attributes: compact({
      provider: stringOf(objectOf(raw.provider).id),
      plan: stringOf(plan.slug),
      price: plan.price,
      realId: stringOf(raw.realId),
    }),
  };
}

/**
 * Clever Cloud applications and add-ons of every owner the credential reaches: the configured
 * organisation ids, or else the user's personal space (`/v2/self`) plus each organisation of
 * `/v2/summary`. The personal space answers as `/v2/organisations/{user_...}` like the others.
 */
export class CleverCloudInventory implements InventoryCollector {
  readonly resourceTypes: readonly string[] = CLEVERCLOUD_RESOURCE_TYPES;
  private readonly client: CleverCloudClient;
  private owners?: Promise<string[]>;

  constructor(
    auth: CleverCloudAuth,
    environment: ProviderEnvironment,
    private readonly organisationIds: readonly string[] = [],
  ) {
    this.client = new CleverCloudClient(auth, environment);
  }

  async *collect(type: string): AsyncIterable<InventoryResource> {
    if (!isCleverType(type)) throw new UnknownResourceType(type);
    const owners = await this.ownerIds(type);
    const refused: string[] = [];
    let yielded = false;
    for (const ownerId of owners) {
      let list: unknown;
      try {
        list = await this.client.get(`/v2/organisations/${encodeURIComponent(ownerId)}/${SECTIONS[type]}`);
      } catch (error) {
        // One organisation we may not read (left it, role too narrow) must not hide the others.
        if (error instanceof CleverCloudApiError && (error.httpStatus === 403 || error.httpStatus === 404)) {
          refused.push(ownerId);
          continue;
        }
        const translated = translateError(type, error);
        throw translated instanceof ResourceTypeFailed && yielded ? translated.asPartial() : translated;
      }
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const raw = objectOf(item);
        const id = stringOf(raw.id);
        if (!id) continue;
        const record = type === "application" ? applicationRecord(ownerId, raw) : addonRecord(ownerId, raw);
        yielded = true;
        yield { ...record, id };
      }
    }
    if (refused.length > 0) {
      throw new ResourceTypeFailed(
        type,
        "permission",
        false,
        `Clever Cloud refused or does not know ${refused.length} organisation(s): ${refused.join(", ")}`,
        yielded,
      );
    }
  }

  /** Asked once per collector, whichever type is collected first. */
  private ownerIds(type: string): Promise<string[]> {
    if (this.organisationIds.length > 0) return Promise.resolve([...new Set(this.organisationIds)]);
    this.owners ??= this.discoverOwners();
    // A failed discovery is asked again by the next type rather than cached.
    return this.owners.catch((error: unknown) => {
      this.owners = undefined;
      throw translateError(type, error);
    });
  }

  private async discoverOwners(): Promise<string[]> {
    const self = objectOf(await this.client.get("/v2/self"));
    const summary = objectOf(await this.client.get("/v2/summary"));
    const organisations = Array.isArray(summary.organisations) ? summary.organisations : [];
    const ids = [
      stringOf(self.id),
      ...organisations.map((organisation) => stringOf(objectOf(organisation).id)),
    ];
    return [...new Set(ids.filter((id): id is string => id !== null))];
  }
}

function isCleverType(type: string): type is CleverType {
  return (CLEVERCLOUD_RESOURCE_TYPES as readonly string[]).includes(type);
}

function translateError(type: string, error: unknown): unknown {
  if (error instanceof Unreachable) return new ResourceTypeFailed(type, "network", true, error.message);
  // The client parses bodies with JSON.parse: a truncated or HTML answer lands here.
  if (error instanceof SyntaxError) {
    return new ResourceTypeFailed(type, "provider-error", true, `unreadable answer: ${error.message}`);
  }
  if (!(error instanceof CleverCloudApiError)) return error;
  if (error.httpStatus === 401) return new CredentialRejected(error.message);
  if (error.httpStatus === 403) return new ResourceTypeFailed(type, "permission", false, error.message);
  if (error.httpStatus === 429) return new ResourceTypeFailed(type, "throttled", true, error.message);
  return new ResourceTypeFailed(type, "provider-error", error.httpStatus >= 500, error.message);
}
