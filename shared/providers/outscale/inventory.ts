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
import { OutscaleApiClient, type OutscaleKeys } from "./api-client";
import { OutscaleApiError } from "./errors";

/** How one OUTSCALE read maps to inventory records. */
interface ResourceRead {
  action: string;
  /** The answer's list key: `Vms`, `Volumes`... */
  listKey: string;
  idField: string;
  /** ReadLoadBalancers has no ResultsPerPage / NextPageToken. */
  paginated: boolean;
  /** Images and snapshots: only the account's own, or every public one comes back too. */
  ownedOnly?: boolean;
  /** The resource's own name, used when there is no `Name` tag. */
  nameField?: string;
  zone: (raw: JsonObject) => unknown;
  attributes: (raw: JsonObject) => Record<string, unknown>;
}

const PAGE_SIZE = 1000;
const noZone = () => null;
const subregion = (raw: JsonObject) => raw.SubregionName;

const READS: Record<string, ResourceRead> = {
  vm: {
    action: "ReadVms",
    listKey: "Vms",
    idField: "VmId",
    paginated: true,
    zone: (raw) => objectOf(raw.Placement).SubregionName,
    attributes: (raw) => ({
      VmType: raw.VmType,
      ImageId: raw.ImageId,
      PrivateIp: raw.PrivateIp,
      PublicIp: raw.PublicIp,
      NetId: raw.NetId,
      SubnetId: raw.SubnetId,
    }),
  },
  volume: {
    action: "ReadVolumes",
    listKey: "Volumes",
    idField: "VolumeId",
    paginated: true,
    zone: subregion,
    attributes: (raw) => ({
      Size: raw.Size,
      VolumeType: raw.VolumeType,
      Iops: raw.Iops,
      LinkedVmIds: Array.isArray(raw.LinkedVolumes)
        ? raw.LinkedVolumes.map((link) => objectOf(link).VmId).filter((id) => typeof id === "string")
        : undefined,
    }),
  },
  snapshot: {
    action: "ReadSnapshots",
    listKey: "Snapshots",
    idField: "SnapshotId",
    paginated: true,
    ownedOnly: true,
    zone: noZone,
    attributes: (raw) => ({
      VolumeId: raw.VolumeId,
      VolumeSize: raw.VolumeSize,
      Description: raw.Description,
    }),
  },
  image: {
    action: "ReadImages",
    listKey: "Images",
    idField: "ImageId",
    paginated: true,
    ownedOnly: true,
    nameField: "ImageName",
    zone: noZone,
    attributes: (raw) => ({
      ImageType: raw.ImageType,
      Architecture: raw.Architecture,
      RootDeviceType: raw.RootDeviceType,
      Public: objectOf(raw.PermissionsToLaunch).GlobalPermission,
    }),
  },
  "public-ip": {
    action: "ReadPublicIps",
    listKey: "PublicIps",
    idField: "PublicIpId",
    paginated: true,
    zone: noZone,
    attributes: (raw) => ({ PublicIp: raw.PublicIp, VmId: raw.VmId, NicId: raw.NicId }),
  },
  "load-balancer": {
    action: "ReadLoadBalancers",
    listKey: "LoadBalancers",
    idField: "LoadBalancerName",
    paginated: false,
    nameField: "LoadBalancerName",
    // A load balancer spans its subregions: a zone only when there is exactly one.
    zone: (raw) =>
      Array.isArray(raw.SubregionNames) && raw.SubregionNames.length === 1 ? raw.SubregionNames[0] : null,
    attributes: (raw) => ({
      LoadBalancerType: raw.LoadBalancerType,
      DnsName: raw.DnsName,
      NetId: raw.NetId,
      BackendVmCount: Array.isArray(raw.BackendVmIds) ? raw.BackendVmIds.length : undefined,
    }),
  },
  net: {
    action: "ReadNets",
    listKey: "Nets",
    idField: "NetId",
    paginated: true,
    zone: noZone,
    attributes: (raw) => ({ IpRange: raw.IpRange, Tenancy: raw.Tenancy }),
  },
  subnet: {
    action: "ReadSubnets",
    listKey: "Subnets",
    idField: "SubnetId",
    paginated: true,
    zone: subregion,
    attributes: (raw) => ({
      IpRange: raw.IpRange,
      NetId: raw.NetId,
      AvailableIpsCount: raw.AvailableIpsCount,
    }),
  },
  "security-group": {
    action: "ReadSecurityGroups",
    listKey: "SecurityGroups",
    idField: "SecurityGroupId",
    paginated: true,
    nameField: "SecurityGroupName",
    zone: noZone,
    attributes: (raw) => ({
      NetId: raw.NetId,
      Description: raw.Description,
      InboundRuleCount: Array.isArray(raw.InboundRules) ? raw.InboundRules.length : undefined,
    }),
  },
  keypair: {
    action: "ReadKeypairs",
    listKey: "Keypairs",
    idField: "KeypairId",
    paginated: true,
    nameField: "KeypairName",
    zone: noZone,
    attributes: (raw) => ({ KeypairType: raw.KeypairType, KeypairFingerprint: raw.KeypairFingerprint }),
  },
  "nat-service": {
    action: "ReadNatServices",
    listKey: "NatServices",
    idField: "NatServiceId",
    paginated: true,
    zone: noZone,
    attributes: (raw) => ({
      NetId: raw.NetId,
      SubnetId: raw.SubnetId,
      PublicIps: Array.isArray(raw.PublicIps) ? raw.PublicIps.map((ip) => objectOf(ip).PublicIp) : undefined,
    }),
  },
  "internet-service": {
    action: "ReadInternetServices",
    listKey: "InternetServices",
    idField: "InternetServiceId",
    paginated: true,
    zone: noZone,
    attributes: (raw) => ({ NetId: raw.NetId }),
  },
  "route-table": {
    action: "ReadRouteTables",
    listKey: "RouteTables",
    idField: "RouteTableId",
    paginated: true,
    zone: noZone,
    attributes: (raw) => ({
      NetId: raw.NetId,
      Main: Array.isArray(raw.LinkRouteTables)
        ? raw.LinkRouteTables.some((link) => objectOf(link).Main === true)
        : undefined,
    }),
  },
};

export const OUTSCALE_RESOURCE_TYPES = Object.keys(READS);

function tagsOf(raw: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!Array.isArray(raw)) return tags;
  for (const entry of raw) {
    const { Key, Value } = objectOf(entry);
    if (typeof Key === "string") tags[Key] = typeof Value === "string" ? Value : "";
  }
  return tags;
}

/**
 * The OUTSCALE inventory of one account, every type read with `ResultsPerPage: 1000` and followed
 * through `NextPageToken`. Calls go through OutscaleApiClient, so they are paced (5/s per key) and
 * retried on 429/500/503 before any error reaches here.
 */
export class OutscaleInventory implements InventoryCollector {
  readonly resourceTypes: readonly string[] = OUTSCALE_RESOURCE_TYPES;
  private readonly client: OutscaleApiClient;

  constructor(
    private readonly keys: OutscaleKeys & { accountId: string },
    environment: ProviderEnvironment,
  ) {
    this.client = new OutscaleApiClient(keys, environment);
  }

  async *collect(type: string): AsyncIterable<InventoryResource> {
    const read = READS[type];
    if (!read) throw new UnknownResourceType(type);
    const filters = read.ownedOnly ? { Filters: { AccountIds: [this.keys.accountId] } } : {};
    if (!read.paginated) {
      yield* this.records(type, read, await this.page(type, read, filters));
      return;
    }
    const seen = new Set<string>();
    let next: Promise<JsonObject> | undefined = this.page(type, read, {
      ...filters,
      ResultsPerPage: PAGE_SIZE,
    });
    let yielded = false;
    while (next) {
      const page: JsonObject = await next.catch((error: unknown) => {
        throw yielded && error instanceof ResourceTypeFailed ? error.asPartial() : error;
      });
      const token = stringOf(page.NextPageToken);
      if (token && seen.has(token)) {
        throw new ResourceTypeFailed(type, "provider-error", true, "OUTSCALE sent the same page token twice");
      }
      if (token) seen.add(token);
      // Ask for the next page before handing this one out: the request overlaps the consumer's
      // work, and at most two pages are held at once.
      next = token
        ? this.page(type, read, { ...filters, ResultsPerPage: PAGE_SIZE, NextPageToken: token })
        : undefined;
      // The consumer may stop early; a prefetch failing then must not surface as unhandled.
      next?.catch(() => {});
      for (const record of this.records(type, read, page)) {
        yielded = true;
        yield record;
      }
    }
  }

  private *records(type: string, read: ResourceRead, page: JsonObject): Iterable<InventoryResource> {
    const list = page[read.listKey];
    if (!Array.isArray(list)) return;
    for (const item of list) {
      const raw = objectOf(item);
      const id = stringOf(raw[read.idField]);
      if (!id) continue;
      const tags = tagsOf(raw.Tags);
      yield {
        provider: "outscale",
        accountId: this.keys.accountId,
        region: this.keys.region,
        zone: stringOf(read.zone(raw)),
        type,
        id,
        name: stringOf(tags.Name) ?? (read.nameField ? stringOf(raw[read.nameField]) : null),
        state: stringOf(raw.State),
        tags,
        createdAt: parseProviderDate(raw.CreationDate),
        attributes: compact(read.attributes(raw)),
      };
    }
  }

  private async page(type: string, read: ResourceRead, input: JsonObject): Promise<JsonObject> {
    try {
      return objectOf(await this.client.call(read.action, input));
    } catch (error) {
      throw translateError(type, error);
    }
  }
}

/** OUTSCALE's error codes (providers.md) to the sweep's two failure kinds. */
function translateError(type: string, error: unknown): unknown {
  if (error instanceof Unreachable) return new ResourceTypeFailed(type, "network", true, error.message);
  if (!(error instanceof OutscaleApiError)) return error;
  if (error.notAuthorised) return new ResourceTypeFailed(type, "permission", false, error.message);
  // 13: locked for a while after bad signatures; 14: this caller's IP or certificate is refused.
  if (error.code === "13" || error.code === "14") return new CredentialRejected(error.message, false);
  if (error.code === "1" || error.code === "11" || error.httpStatus === 401)
    return new CredentialRejected(error.message);
  if (error.throttled) return new ResourceTypeFailed(type, "throttled", true, error.message);
  return new ResourceTypeFailed(type, "provider-error", error.httpStatus >= 500, error.message);
}
