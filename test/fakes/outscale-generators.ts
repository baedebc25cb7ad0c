/**
 * Realistic OUTSCALE inventory objects, property names and shapes from the 1.40.1 spec (the
 * conformance test holds them to it). Seeded, so runs are reproducible.
 */

export type OutscaleResource = Record<string, unknown>;

export const RESOURCE_KINDS = {
  Vms: { idField: "VmId", prefix: "i-" },
  Volumes: { idField: "VolumeId", prefix: "vol-" },
  Snapshots: { idField: "SnapshotId", prefix: "snap-" },
  Images: { idField: "ImageId", prefix: "ami-" },
  PublicIps: { idField: "PublicIpId", prefix: "eipalloc-" },
  Nets: { idField: "NetId", prefix: "vpc-" },
  Subnets: { idField: "SubnetId", prefix: "subnet-" },
  SecurityGroups: { idField: "SecurityGroupId", prefix: "sg-" },
  Keypairs: { idField: "KeypairId", prefix: "key-" },
  NatServices: { idField: "NatServiceId", prefix: "nat-" },
  InternetServices: { idField: "InternetServiceId", prefix: "igw-" },
  RouteTables: { idField: "RouteTableId", prefix: "rtb-" },
  LoadBalancers: { idField: "LoadBalancerName", prefix: "lb-" },
} as const;

export type ResourceKind = keyof typeof RESOURCE_KINDS;

export interface SeedOptions {
  /** Images and snapshots: shared with every account (`GlobalPermission: true`). */
  public?: boolean;
  /** Overrides merged into every generated object. */
  overrides?: OutscaleResource;
}

/** mulberry32: a small deterministic generator. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class ResourceGenerator {
  private readonly random: () => number;
  private counter = 0;

  constructor(
    private readonly region: string,
    seed: number,
    private readonly taken: (id: string) => boolean,
  ) {
    this.random = generator(seed);
  }

  private hex(length: number): string {
    return Array.from({ length }, () => Math.floor(this.random() * 16).toString(16)).join("");
  }

  newId(kind: ResourceKind): string {
    const { prefix } = RESOURCE_KINDS[kind];
    for (;;) {
      const id = kind === "LoadBalancers" ? `lb-${this.hex(6)}` : `${prefix}${this.hex(8)}`;
      if (!this.taken(id)) return id;
    }
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)]!;
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /** A creation date in 2023-2025; one in three in OUTSCALE's `+0000` form. */
  private creationDate(): string {
    const at = new Date(Date.UTC(2023, 0, 1) + Math.floor(this.random() * 3 * 365 * 86_400_000));
    const iso = at.toISOString();
    return this.random() < 1 / 3 ? iso.replace("Z", "+0000") : iso;
  }

  private tags(kind: ResourceKind, n: number): Array<{ Key: string; Value: string }> {
    const tags = [{ Key: "Name", Value: `${kind.toLowerCase().replace(/s$/, "")}-${n}` }];
    if (this.random() < 0.5) tags.push({ Key: "env", Value: this.pick(["prod", "staging", "dev"]) });
    return tags;
  }

  private subregion(): string {
    return `${this.region}${this.pick(["a", "b", "c"])}`;
  }

  private ip(prefix: string): string {
    return `${prefix}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  generate(accountId: string, kind: ResourceKind, options: SeedOptions = {}): OutscaleResource {
    const n = ++this.counter;
    const id = this.newId(kind);
    const tags = this.tags(kind, n);
    const netId = `vpc-${this.hex(8)}`;
    const permissions = { GlobalPermission: options.public === true, AccountIds: [] as string[] };
    switch (kind) {
      case "Vms": {
        const privateIp = this.ip("10.0");
        return {
          VmId: id,
          VmType: this.pick(["tinav6.c1r1p2", "tinav6.c2r4p2", "tinav6.c4r8p1"]),
          State: this.pick(["running", "running", "running", "stopped"]),
          Placement: { SubregionName: this.subregion(), Tenancy: "default" },
          CreationDate: this.creationDate(),
          ImageId: `ami-${this.hex(8)}`,
          Architecture: "x86_64",
          BlockDeviceMappings: [
            {
              DeviceName: "/dev/sda1",
              Bsu: {
                VolumeId: `vol-${this.hex(8)}`,
                State: "attached",
                LinkDate: this.creationDate(),
                DeleteOnVmDeletion: true,
              },
            },
          ],
          BootMode: "legacy",
          BsuOptimized: false,
          DeletionProtection: false,
          Hypervisor: "xen",
          IsSourceDestChecked: true,
          KeypairName: `keypair-${n}`,
          LaunchNumber: 0,
          NestedVirtualization: false,
          Performance: "high",
          PrivateDnsName: `ip-${privateIp.replaceAll(".", "-")}.${this.region}.compute.internal`,
          PrivateIp: privateIp,
          ProductCodes: ["0001"],
          ReservationId: `r-${this.hex(8)}`,
          RootDeviceName: "/dev/sda1",
          RootDeviceType: "ebs",
          SecurityGroups: [{ SecurityGroupId: `sg-${this.hex(8)}`, SecurityGroupName: "default" }],
          StateReason: "",
          Tags: tags,
          VmInitiatedShutdownBehavior: "stop",
        };
      }
      case "Volumes": {
        const VolumeType = this.pick(["gp2", "io1", "standard"] as const);
        return {
          VolumeId: id,
          VolumeType,
          Size: this.pick([10, 20, 50, 100, 500]),
          ...(VolumeType === "io1" ? { Iops: this.pick([500, 1000, 3000]) } : {}),
          State: this.pick(["in-use", "available"]),
          SubregionName: this.subregion(),
          CreationDate: this.creationDate(),
          LinkedVolumes: [],
          Tags: tags,
        };
      }
      case "Snapshots":
        return {
          SnapshotId: id,
          AccountId: accountId,
          VolumeId: `vol-${this.hex(8)}`,
          VolumeSize: this.pick([10, 20, 50]),
          State: "completed",
          Progress: 100,
          CreationDate: this.creationDate(),
          Description: `snapshot ${n}`,
          PermissionsToCreateVolume: permissions,
          Tags: tags,
        };
      case "Images":
        return {
          ImageId: id,
          AccountId: accountId,
          ImageName: `image-${n}`,
          ImageType: "machine",
          State: "available",
          Architecture: "x86_64",
          CreationDate: this.creationDate(),
          Description: `image ${n}`,
          FileLocation: `${accountId}/image-${n}`,
          RootDeviceName: "/dev/sda1",
          RootDeviceType: "bsu",
          BlockDeviceMappings: [
            {
              DeviceName: "/dev/sda1",
              Bsu: {
                SnapshotId: `snap-${this.hex(8)}`,
                VolumeSize: 10,
                VolumeType: "standard",
                DeleteOnVmDeletion: true,
              },
            },
          ],
          BootModes: ["legacy"],
          PermissionsToLaunch: permissions,
          ProductCodes: ["0001"],
          SecureBoot: false,
          StateComment: {},
          Tags: tags,
          TpmMandatory: false,
        };
      case "PublicIps": {
        const linked = this.random() < 0.5;
        return {
          PublicIpId: id,
          PublicIp: this.ip("171.33"),
          Tags: tags,
          ...(linked
            ? {
                VmId: `i-${this.hex(8)}`,
                LinkPublicIpId: `eipassoc-${this.hex(8)}`,
                NicId: `eni-${this.hex(8)}`,
                NicAccountId: accountId,
                PrivateIp: this.ip("10.0"),
              }
            : {}),
        };
      }
      case "Nets":
        return {
          NetId: id,
          IpRange: `10.${this.int(0, 255)}.0.0/16`,
          State: "available",
          Tenancy: "default",
          DhcpOptionsSetId: `dopt-${this.hex(8)}`,
          Tags: tags,
        };
      case "Subnets":
        return {
          SubnetId: id,
          NetId: netId,
          IpRange: `10.0.${this.int(0, 255)}.0/24`,
          SubregionName: this.subregion(),
          State: "available",
          AvailableIpsCount: this.int(200, 251),
          MapPublicIpOnLaunch: false,
          Tags: tags,
        };
      case "SecurityGroups":
        return {
          SecurityGroupId: id,
          SecurityGroupName: `security-group-${n}`,
          Description: "managed by tests",
          AccountId: accountId,
          NetId: netId,
          InboundRules: [
            {
              FromPortRange: 22,
              ToPortRange: 22,
              IpProtocol: "tcp",
              IpRanges: ["0.0.0.0/0"],
              SecurityGroupsMembers: [],
              ServiceIds: [],
            },
          ],
          OutboundRules: [{ FromPortRange: -1, ToPortRange: -1, IpProtocol: "-1", IpRanges: ["0.0.0.0/0"] }],
          Tags: tags,
        };
      case "Keypairs":
        return {
          KeypairId: id,
          KeypairName: `keypair-${n}`,
          KeypairType: "ssh-rsa",
          KeypairFingerprint: Array.from({ length: 16 }, () => this.hex(2)).join(":"),
          Tags: tags,
        };
      case "NatServices":
        return {
          NatServiceId: id,
          NetId: netId,
          SubnetId: `subnet-${this.hex(8)}`,
          State: "available",
          PublicIps: [{ PublicIp: this.ip("171.33"), PublicIpId: `eipalloc-${this.hex(8)}` }],
          Tags: tags,
        };
      case "InternetServices":
        return { InternetServiceId: id, NetId: netId, State: "available", Tags: tags };
      case "RouteTables":
        return {
          RouteTableId: id,
          NetId: netId,
          Routes: [
            {
              DestinationIpRange: "10.0.0.0/16",
              CreationMethod: "CreateRouteTable",
              GatewayId: "local",
              State: "active",
            },
          ],
          LinkRouteTables: [
            { LinkRouteTableId: `rtbassoc-${this.hex(8)}`, Main: true, RouteTableId: id, NetId: netId },
          ],
          RoutePropagatingVirtualGateways: [],
          Tags: tags,
        };
      case "LoadBalancers":
        return {
          LoadBalancerName: id,
          LoadBalancerType: "internet-facing",
          DnsName: `${id}.${this.region}.lbu.outscale.com`,
          State: "active",
          Listeners: [
            { BackendPort: 80, BackendProtocol: "HTTP", LoadBalancerPort: 80, LoadBalancerProtocol: "HTTP" },
          ],
          HealthCheck: {
            CheckInterval: 30,
            HealthyThreshold: 10,
            Port: 80,
            Protocol: "TCP",
            Timeout: 5,
            UnhealthyThreshold: 2,
          },
          AccessLog: { IsEnabled: false, PublicationInterval: 60 },
          ApplicationStickyCookiePolicies: [],
          LoadBalancerStickyCookiePolicies: [],
          BackendVmIds: [`i-${this.hex(8)}`],
          SecuredCookies: false,
          SecurityGroups: [],
          SourceSecurityGroup: {
            SecurityGroupAccountId: "outscale-elb",
            SecurityGroupName: "outscale-elb-sg",
          },
          Subnets: [],
          SubregionNames: [this.subregion()],
          Tags: tags,
        };
    }
  }
}
