import {
  type OutscaleResource,
  type OutscaleStore,
  RESOURCE_KINDS,
  type ResourceKind,
} from "./outscale-resources";

export interface FakeOutscaleAccount {
  accountId: string;
  accessKey: string;
  secretKey: string;
  email: string;
  /** `no-read-accounts`: a narrow sub-user; `billing-only`: only ReadConsumptionAccount. */
  policy?: "full" | "no-read-accounts" | "billing-only";
  companyName?: string;
  /** ReadAccessKeys' `ExpirationDate` (OUTSCALE's `+0000` form is fine). */
  keyExpirationDate?: string;
}

/** One consumption line for one day; ReadConsumptionAccount sums the days of the window asked for. */
export interface FakeConsumptionLine {
  /** `YYYY-MM-DD` */
  date: string;
  Category: string;
  Service: string;
  Operation: string;
  Type: string;
  Title: string;
  SubregionName: string;
  ResourceId?: string;
  Value: number;
  UnitPrice: number;
}

export interface OutscaleConsumption {
  currency: string;
  lines: FakeConsumptionLine[];
}

/** A successful body (without ResponseContext) or an OUTSCALE error. */
export type ActionOutcome =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: number; code: string; type: string; details: string };

const invalid = (details: string): ActionOutcome => ({
  ok: false,
  status: 400,
  code: "4047",
  type: "InvalidParameterValue",
  details,
});

/** The paginated inventory reads and the plural key of their answer. */
export const PAGINATED_ACTIONS: Record<string, ResourceKind> = Object.fromEntries(
  (Object.keys(RESOURCE_KINDS) as ResourceKind[])
    .filter((kind) => kind !== "LoadBalancers")
    .map((kind) => [`Read${kind}`, kind]),
);

export const SERVED_ACTIONS = [
  "ReadAccounts",
  "ReadAccessKeys",
  "ReadConsumptionAccount",
  "ReadLoadBalancers",
  ...Object.keys(PAGINATED_ACTIONS),
];

export function actionAllowed(account: FakeOutscaleAccount, action: string): boolean {
  if (account.policy === "billing-only") return action === "ReadConsumptionAccount";
  if (account.policy === "no-read-accounts") return action !== "ReadAccounts";
  return true;
}

/** Creation date (lenient: `+0000` offsets) then id, as OUTSCALE sorts its lists. */
function sortKey(resource: OutscaleResource, kind: ResourceKind): string {
  const raw = resource.CreationDate;
  const time = typeof raw === "string" ? Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) : Number.NaN;
  const datePart = Number.isFinite(time) ? String(time).padStart(15, "0") : "";
  return `${datePart}\u0000${String(resource[RESOURCE_KINDS[kind].idField])}`;
}

/** Generic filters: `XxxIds: [...]` keeps resources whose `XxxId` is listed; `TagKeys`, `Tags` ("k=v"). */
function matchesFilters(resource: OutscaleResource, filters: Record<string, unknown>): boolean {
  for (const [name, wanted] of Object.entries(filters)) {
    if (!Array.isArray(wanted)) continue;
    const tags = (resource.Tags as Array<{ Key: string; Value: string }> | undefined) ?? [];
    if (name === "TagKeys") {
      if (!wanted.some((key) => tags.some((tag) => tag.Key === key))) return false;
    } else if (name === "Tags") {
      if (!wanted.some((pair) => tags.some((tag) => `${tag.Key}=${tag.Value}` === pair))) return false;
    } else if (name.endsWith("s")) {
      const field = name.slice(0, -1);
      const value = resource[field];
      if (typeof value === "string" || typeof value === "number") {
        if (!wanted.includes(value)) return false;
      }
    }
  }
  return true;
}

interface PageToken {
  action: string;
  accountId: string;
  after: string;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64");
}

function decodeToken(value: string): PageToken | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Partial<PageToken>;
    return typeof parsed.after === "string" && parsed.action && parsed.accountId
      ? (parsed as PageToken)
      : undefined;
  } catch {
    return undefined;
  }
}

function readInventory(
  store: OutscaleStore,
  account: FakeOutscaleAccount,
  action: string,
  kind: ResourceKind,
  input: Record<string, unknown>,
  paginated: boolean,
): ActionOutcome {
  const filters = (input.Filters ?? {}) as Record<string, unknown>;
  if (typeof filters !== "object" || Array.isArray(filters)) return invalid("Filters must be an object");
  const all = store
    .visible(account.accountId, kind)
    .filter((resource) => matchesFilters(resource, filters))
    .map((resource) => ({ resource, key: sortKey(resource, kind) }))
    .sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
  if (!paginated) return { ok: true, body: { [kind]: all.map(({ resource }) => structuredClone(resource)) } };
  const perPage = input.ResultsPerPage ?? 100;
  if (!Number.isInteger(perPage) || (perPage as number) < 1 || (perPage as number) > 1000) {
    return invalid("ResultsPerPage must be an integer between 1 and 1000");
  }
  let rest = all;
  if (input.NextPageToken !== undefined) {
    const token = typeof input.NextPageToken === "string" ? decodeToken(input.NextPageToken) : undefined;
    if (!token || token.action !== action || token.accountId !== account.accountId) {
      return invalid("NextPageToken is not valid for this call");
    }
    rest = all.filter(({ key }) => key > token.after);
  }
  const page = rest.slice(0, perPage as number);
  const body: Record<string, unknown> = { [kind]: page.map(({ resource }) => structuredClone(resource)) };
  if (rest.length > page.length) {
    body.NextPageToken = encodeToken({ action, accountId: account.accountId, after: page.at(-1)!.key });
  }
  return { ok: true, body };
}

/** `2023-06-01` or `2023-06-01T00:00:00.000Z` (midnight only) -> `2023-06-01`. */
function day(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?$/.exec(value);
  return match && Number.isFinite(Date.parse(match[1]!)) ? match[1] : undefined;
}

function readConsumption(
  account: FakeOutscaleAccount,
  consumption: OutscaleConsumption | undefined,
  input: Record<string, unknown>,
): ActionOutcome {
  if (input.FromDate === undefined || input.ToDate === undefined) {
    return { ok: false, status: 400, code: "7000", type: "MissingParameter", details: "FromDate and ToDate" };
  }
  const from = day(input.FromDate);
  const to = day(input.ToDate);
  if (!from || !to) return invalid("FromDate and ToDate must be dates (or date-times at midnight)");
  if (to <= from) return invalid("ToDate must be later than FromDate");
  const showPrice = input.ShowPrice === true;
  const showDetails = input.ShowResourceDetails === true;
  const groups = new Map<string, Record<string, unknown> & { Value: number; UnitPrice: number }>();
  for (const line of consumption?.lines ?? []) {
    if (line.date < from || line.date >= to) continue;
    const resourceId = showDetails ? line.ResourceId : undefined;
    const key = [line.Category, line.Service, line.Operation, line.Type, line.SubregionName, resourceId].join(
      "|",
    );
    const existing = groups.get(key);
    if (existing) {
      existing.Value += line.Value;
      continue;
    }
    groups.set(key, {
      AccountId: account.accountId,
      PayingAccountId: account.accountId,
      Category: line.Category,
      Service: line.Service,
      Operation: line.Operation,
      Type: line.Type,
      Title: line.Title,
      SubregionName: line.SubregionName,
      ...(resourceId ? { ResourceId: resourceId } : {}),
      FromDate: `${from}T00:00:00.000+0000`,
      ToDate: `${to}T00:00:00.000+0000`,
      Value: line.Value,
      UnitPrice: line.UnitPrice,
    });
  }
  const entries = [...groups.values()].map(({ UnitPrice, ...entry }) => {
    const Value = Math.round(entry.Value * 1e6) / 1e6;
    return showPrice
      ? { ...entry, Value, UnitPrice, Price: Math.round(Value * UnitPrice * 1e4) / 1e4 }
      : { ...entry, Value };
  });
  return { ok: true, body: { ConsumptionEntries: entries, Currency: consumption?.currency ?? "EUR" } };
}

/** Answers one served action for an authenticated, authorised account. */
export function answerAction(
  store: OutscaleStore,
  account: FakeOutscaleAccount,
  consumption: OutscaleConsumption | undefined,
  action: string,
  input: Record<string, unknown>,
): ActionOutcome | undefined {
  switch (action) {
    case "ReadAccounts":
      return {
        ok: true,
        body: {
          Accounts: [
            {
              AccountId: account.accountId,
              Email: account.email,
              CompanyName: account.companyName ?? "Fake Company",
              CustomerId: "12345",
              OutscaleLoginAllowed: true,
            },
          ],
        },
      };
    case "ReadAccessKeys":
      return {
        ok: true,
        body: {
          AccessKeys: [
            {
              AccessKeyId: account.accessKey,
              State: "ACTIVE",
              CreationDate: "2024-01-15T10:00:00.000+0000",
              ExpirationDate: account.keyExpirationDate ?? "2027-01-15T10:00:00.000+0000",
              LastModificationDate: "2024-01-15T10:00:00.000+0000",
            },
          ],
        },
      };
    case "ReadConsumptionAccount":
      return readConsumption(account, consumption, input);
    case "ReadLoadBalancers":
      return readInventory(store, account, action, "LoadBalancers", input, false);
    default: {
      const kind = PAGINATED_ACTIONS[action];
      return kind ? readInventory(store, account, action, kind, input, true) : undefined;
    }
  }
}
