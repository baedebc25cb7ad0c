import { randomUUID } from "node:crypto";

/** What the Clever Cloud fake knows: consumers, tokens, users, organisations and their apps. */

export interface FakeCleverConsumer {
  key: string;
  secret: string;
  name?: string;
  /** When set, the connect flow only accepts callbacks on this host (or its subdomains). */
  callbackDomain?: string;
}

export interface FakeCleverToken {
  token: string;
  secret: string;
  userId: string;
  /** The consumer the token was issued to; any known consumer when absent. */
  consumerKey?: string;
  /** ISO 8601; the token is refused after it. */
  expirationDate?: string;
  creationDate?: string;
}

export interface FakeCleverApiToken {
  token: string;
  userId: string;
  expirationDate?: string;
}

export interface FakeCleverApplication {
  id: string;
  name: string;
  zone: string;
  instance: {
    type: string;
    variant: { slug: string; name?: string; [key: string]: unknown };
    minInstances: number;
    maxInstances: number;
    minFlavor: { name: string; [key: string]: unknown };
    maxFlavor: { name: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  deployment: { type: string; url?: string; [key: string]: unknown };
  /** Epoch ms, as Clever Cloud's v2 API gives it. */
  creationDate: number;
  state: string;
  [key: string]: unknown;
}

export interface FakeCleverAddon {
  id: string;
  realId: string;
  name?: string;
  region: string;
  provider: { id: string; name: string; [key: string]: unknown };
  plan: { slug: string; price: number; [key: string]: unknown };
  creationDate: number;
  [key: string]: unknown;
}

export interface FakeCleverUser {
  id: string;
  email: string;
  name: string;
  creationDate?: number;
  /** The personal space's applications and add-ons (`/v2/self/...`). */
  applications?: FakeCleverApplication[];
  addons?: FakeCleverAddon[];
}

export type FakeCleverRole = "ADMIN" | "MANAGER" | "DEVELOPER" | "ACCOUNTING";

export interface FakeCleverOrganisation {
  id: string;
  name: string;
  /** User ids (role ADMIN) or `{ userId, role }`. */
  members: Array<string | { userId: string; role: FakeCleverRole }>;
  applications: Array<FakeCleverApplication | Record<string, unknown>>;
  addons: Array<FakeCleverAddon | Record<string, unknown>>;
  description?: string;
}

export interface IssuedToken {
  secret: string;
  userId: string;
  consumerKey?: string;
  kind: "request" | "access";
  creationDate: string;
  expirationDate?: string;
  verifier?: string;
  callback?: string;
}

export interface CleverCloudState {
  consumers: Map<string, FakeCleverConsumer>;
  /** token -> record; request tokens are replaced by access tokens at the end of the dance. */
  tokens: Map<string, IssuedToken>;
  apiTokens: Map<string, FakeCleverApiToken>;
  users: FakeCleverUser[];
  organisations: FakeCleverOrganisation[];
  /** `consumer:token:timestamp:nonce` already seen (RFC 5849 §3.3). */
  nonces: Set<string>;
  /** The user who approves the connect flow's authorize step (default: the first user). */
  approvingUserId?: string;
}

export function memberRole(organisation: FakeCleverOrganisation, userId: string): FakeCleverRole | undefined {
  for (const member of organisation.members) {
    if (typeof member === "string" ? member === userId : member.userId === userId) {
      return typeof member === "string" ? "ADMIN" : member.role;
    }
  }
  return undefined;
}

export const cleverId = (prefix: "user" | "orga" | "app" | "addon") => `${prefix}_${randomUUID()}`;

/** A realistic application; pass what the test cares about. */
export function cleverApplication(overrides: Partial<FakeCleverApplication> = {}): FakeCleverApplication {
  const id = overrides.id ?? cleverId("app");
  return {
    id,
    name: "my-app",
    description: "my-app",
    zone: "par",
    zoneId: "par",
    instance: {
      type: "node",
      version: "20240101",
      variant: { id: randomUUID(), slug: "node", name: "Node", deployType: "node" },
      minInstances: 1,
      maxInstances: 1,
      maxAllowedInstances: 40,
      minFlavor: { name: "XS", mem: 1024, cpus: 1, price: 0.3436 },
      maxFlavor: { name: "S", mem: 2048, cpus: 2, price: 0.6873 },
      flavors: [],
      defaultEnv: {},
      lifetime: "REGULAR",
      instanceAndVersion: "node-20240101",
    },
    deployment: {
      type: "GIT",
      shutdownable: false,
      url: `git+ssh://git@push-n3-par-clevercloud-customers.services.clever-cloud.com/${id}.git`,
    },
    vhosts: [{ fqdn: `${id.replace(/_/g, "-")}.cleverapps.io` }],
    creationDate: 1_704_067_200_000,
    last_deploy: 1,
    archived: false,
    stickySessions: false,
    homogeneous: false,
    favourite: false,
    cancelOnPush: false,
    separateBuild: false,
    state: "SHOULD_BE_UP",
    ...overrides,
  };
}

/** A realistic add-on; pass what the test cares about. */
export function cleverAddon(overrides: Partial<FakeCleverAddon> = {}): FakeCleverAddon {
  return {
    id: overrides.id ?? cleverId("addon"),
    name: "my-database",
    realId: `postgresql_${randomUUID()}`,
    region: "par",
    provider: { id: "postgresql-addon", name: "PostgreSQL" },
    plan: { id: `plan_${randomUUID()}`, name: "XS Small Space", slug: "xs_sml", price: 15 },
    creationDate: 1_704_067_200_000,
    configKeys: ["POSTGRESQL_ADDON_URI"],
    ...overrides,
  };
}
