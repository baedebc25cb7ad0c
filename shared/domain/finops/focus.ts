import type { ConsumptionRow } from "./consumption";
import { calendarMonthOf } from "./dates";
import { formatDecimal } from "./decimal";

/**
 * One cost record in the FinOps Open Cost and Usage Specification (FOCUS) 1.2 shape. Values are
 * strings (decimals exact, dates ISO 8601 UTC) or null; the CSV writer prints null as empty.
 *
 * Columns, from FOCUS 1.2 as I know it (checked against the 1.1 column library; 1.2 added
 * BillingAccountType, SubAccountType, InvoiceId and the PricingCurrency* columns):
 * - all 21 Mandatory columns (BilledCost … ServiceName in {@link FOCUS_MANDATORY_COLUMNS});
 * - Recommended ones the data supports: AvailabilityZone, ChargeFrequency, ServiceSubcategory;
 * - Conditional ones the data supports: ConsumedQuantity/ConsumedUnit (usage-based charges),
 *   ListUnitPrice, RegionId/RegionName, ResourceId, SkuId, SubAccountId;
 * - left out on purpose: BillingAccountType/SubAccountType (only required when a provider has more
 *   than one account type; OUTSCALE has one), commitment-discount, capacity-reservation,
 *   ContractedUnitPrice, PricingCategory, SkuPriceId, Tags, InvoiceId (the export carries none of
 *   them). If a 1.2 validator insists on any of these, add it as a null column here;
 * - custom columns use FOCUS's `x_` prefix.
 */
export interface FocusRecord {
  AvailabilityZone: string | null;
  /** Null when the export has no Price (see toFocusRecord). */
  BilledCost: string | null;
  BillingAccountId: string;
  BillingAccountName: string | null;
  BillingCurrency: string;
  BillingPeriodEnd: string;
  BillingPeriodStart: string;
  ChargeCategory: "Usage";
  /** Null unless the row corrects an earlier period; the export has no corrections. */
  ChargeClass: null;
  ChargeDescription: string;
  ChargeFrequency: "Usage-Based";
  ChargePeriodEnd: string;
  ChargePeriodStart: string;
  ConsumedQuantity: string;
  ConsumedUnit: string;
  ContractedCost: string | null;
  EffectiveCost: string | null;
  InvoiceIssuerName: "OUTSCALE";
  ListCost: string | null;
  ListUnitPrice: string | null;
  PricingQuantity: string;
  PricingUnit: string;
  ProviderName: "OUTSCALE";
  PublisherName: "OUTSCALE";
  RegionId: string | null;
  RegionName: string | null;
  ResourceId: string | null;
  ServiceCategory: ServiceCategory;
  ServiceName: string;
  ServiceSubcategory: string;
  SkuId: string;
  SubAccountId: string;
  x_Category: string;
  x_CredentialId: string;
  x_Operation: string;
}

export type FocusColumn = keyof FocusRecord;

/**
 * Column order of written files (Athena and the Glue table read them by position): first the
 * columns that change from row to row (the cost four times, the quantity twice, the dates), then
 * ListUnitPrice and the columns that describe what was used, which repeat for every row of a
 * resource and meter (alphabetically, x_ last). FOCUS prescribes no order; this one lets the
 * encoder write each figure once and repeat it as a block, and copy a row's whole descriptive part
 * as one run of bytes cached per resource and meter (see FocusCsvEncoder).
 */
export const FOCUS_COLUMNS = [
  // Per row: figures and dates.
  "BilledCost",
  "ContractedCost",
  "EffectiveCost",
  "ListCost",
  "ConsumedQuantity",
  "PricingQuantity",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  // Per resource and meter: the unit price (nearly always), then what was used.
  "ListUnitPrice",
  "AvailabilityZone",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ConsumedUnit",
  "InvoiceIssuerName",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "RegionId",
  "RegionName",
  "ResourceId",
  "ServiceCategory",
  "ServiceName",
  "ServiceSubcategory",
  "SkuId",
  "SubAccountId",
  "x_Category",
  "x_CredentialId",
  "x_Operation",
] as const satisfies readonly FocusColumn[];

// Compile-time check that FOCUS_COLUMNS lists every FocusRecord key (and nothing else).
type Unlisted = Exclude<FocusColumn, (typeof FOCUS_COLUMNS)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyColumnListed;

/** FOCUS 1.2's Mandatory columns. */
export const FOCUS_MANDATORY_COLUMNS = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceName",
] as const satisfies readonly FocusColumn[];

/** FOCUS's allowed ServiceCategory values (the subset this mapping can produce). */
export type ServiceCategory = "Compute" | "Storage" | "Networking" | "Other";

interface ServiceClass {
  category: ServiceCategory;
  subcategory: string;
}

const OTHER: ServiceClass = { category: "Other", subcategory: "Other (Other)" };
const BY_SERVICE: Record<string, ServiceClass> = {
  "tinaos-fcu": { category: "Compute", subcategory: "Virtual Machines" },
  oks: { category: "Compute", subcategory: "Containers" },
  "tinaos-oos": { category: "Storage", subcategory: "Object Storage" },
  "tinaos-osu": { category: "Storage", subcategory: "Object Storage" },
  "tinaos-lbu": { category: "Networking", subcategory: "Application Networking" },
  "tinaos-directlink": { category: "Networking", subcategory: "Network Connectivity" },
};

/**
 * FOCUS service category from OUTSCALE's Service, refined by Category for FCU: the FCU API also
 * bills volumes, snapshots and public IPs. OUTSCALE documents no fixed list of Category values, so
 * the refinement matches words; anything unrecognised keeps the service's default class.
 */
export function classifyService(service: string, category: string): ServiceClass {
  const byService = BY_SERVICE[service.toLowerCase()];
  if (byService === undefined) return OTHER;
  if (byService.category !== "Compute" || service.toLowerCase() === "oks") return byService;
  const words = category.toLowerCase();
  if (words.includes("snapshot")) return { category: "Storage", subcategory: "Backup Storage" };
  if (words.includes("storage") || words.includes("volume") || words.includes("bsu")) {
    return { category: "Storage", subcategory: "Block Storage" };
  }
  if (words.includes("network") || words.includes("ip") || words.includes("nat") || words.includes("vpn")) {
    return { category: "Networking", subcategory: "Network Connectivity" };
  }
  return byService;
}

/** "eu-west-2a" → "eu-west-2": OUTSCALE subregions are the region name plus one letter. */
export function regionOf(subregionName: string): string {
  return subregionName.slice(0, regionIdLength(subregionName));
}

/** How many leading characters of a subregion name are its region's name. */
export function regionIdLength(subregionName: string): number {
  const length = subregionName.length;
  const last = subregionName.charCodeAt(length - 1) | 0x20; // lower-cased
  const beforeLast = subregionName.charCodeAt(length - 2);
  const endsWithDigitLetter = last >= 97 && last <= 122 && beforeLast >= 48 && beforeLast <= 57;
  return endsWithDigitLetter ? length - 1 : length;
}

export interface FocusContext {
  credentialId: string;
  billingAccountName?: string;
}

/**
 * Maps one consumption row. Costs come only from the export's Price: BilledCost, EffectiveCost,
 * ListCost and ContractedCost are all that Price (OUTSCALE applies no discounts in this export, and
 * its figures are indicative list-based amounts). Without a Price they stay null: Value × UnitPrice
 * would ignore OUTSCALE's own rounding, minimums and free tiers, and a made-up cost that looks
 * official is worse than a visible gap. FOCUS wants these columns non-null, so a null here marks
 * an export made without ShowPrice.
 */
export function toFocusRecord(row: ConsumptionRow, context: FocusContext): FocusRecord {
  const cost = row.price === undefined ? null : formatDecimal(row.price);
  const quantity = formatDecimal(row.quantity);
  const month = calendarMonthOf(row.fromDate);
  const service = classifyService(row.service, row.category);
  const regionId = row.subregionName === undefined ? null : regionOf(row.subregionName);
  return {
    AvailabilityZone: row.subregionName ?? null,
    BilledCost: cost,
    BillingAccountId: row.payingAccountId,
    BillingAccountName: context.billingAccountName ?? null,
    BillingCurrency: row.currency,
    BillingPeriodEnd: month.end,
    BillingPeriodStart: month.start,
    ChargeCategory: "Usage",
    ChargeClass: null,
    ChargeDescription: row.title,
    ChargeFrequency: "Usage-Based",
    ChargePeriodEnd: row.toDate,
    ChargePeriodStart: row.fromDate,
    ConsumedQuantity: quantity,
    // The export carries no unit column: Type names the meter (e.g. "BoxUsage:tinav5.c2r4p1"),
    // which is the closest thing to a unit it offers.
    ConsumedUnit: row.type,
    ContractedCost: cost,
    EffectiveCost: cost,
    InvoiceIssuerName: "OUTSCALE",
    ListCost: cost,
    ListUnitPrice: row.unitPrice === undefined ? null : formatDecimal(row.unitPrice),
    PricingQuantity: quantity,
    PricingUnit: row.type,
    ProviderName: "OUTSCALE",
    PublisherName: "OUTSCALE",
    RegionId: regionId,
    // OUTSCALE names its regions by their ids ("eu-west-2").
    RegionName: regionId,
    ResourceId: row.resourceId ?? null,
    ServiceCategory: service.category,
    ServiceName: row.service,
    ServiceSubcategory: service.subcategory,
    SkuId: row.type,
    SubAccountId: row.accountId,
    x_Category: row.category,
    x_CredentialId: context.credentialId,
    x_Operation: row.operation,
  };
}
