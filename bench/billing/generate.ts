import { once } from "node:events";
import { createWriteStream } from "node:fs";

/**
 * A realistic OUTSCALE consumption CSV: hourly entries over 30 days for a fixed pool of 2,000
 * resources across the six services, so the number of distinct daily keys is the same at 1M and
 * 4M rows (only the rows per key grow), as for a real account exported at a finer grain.
 * One title in ten is quoted (a comma inside), as console exports do. Streamed to disk.
 */
const SERVICES = [
  ["TinaOS-FCU", "compute", "RunInstances-OD", "BoxUsage:tinav5.c2r4p2", "0.0461"],
  ["TinaOS-FCU", "storage", "CreateVolume", "BSU:VolumeUsage:gp2", "0.000152"],
  ["TinaOS-OOS", "storage", "StoreObject", "OOS:StorageUsage", "0.0000301"],
  ["TinaOS-LBU", "network", "CreateLoadBalancer", "LBU:LoadBalancerUsage", "0.025"],
  ["TinaOS-DirectLink", "network", "CreateDirectLink", "DirectLink:PortUsage", "0.35"],
  ["OKS", "compute", "CreateCluster", "OKS:ControlPlane", "0.1"],
] as const;
const RESOURCES = 2000;
const DAYS = 30;

export const BENCH_HEADER =
  "AccountId,PayingAccountId,Category,Service,Operation,Type,Title,SubregionName,ResourceId,FromDate,ToDate,Value,UnitPrice,Price,Currency\n";

export async function generateConsumptionCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let batch = BENCH_HEADER;
  const rowsPerDay = Math.ceil(rows / DAYS);
  for (let index = 0; index < rows; index++) {
    const resource = index % RESOURCES;
    const [service, category, operation, type, unitPrice] = SERVICES[resource % SERVICES.length]!;
    const day = Math.floor(index / rowsPerDay) + 1;
    const hour = Math.floor(index / RESOURCES) % 24;
    const date = `2025-06-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}`;
    const value = ((index % 97) + 1) / 4; // exact in decimal
    const price = (BigInt(Math.round(value * 100)) * BigInt(Math.round(Number(unitPrice) * 1e7))).toString();
    const priceText = `${price.slice(0, -9) || "0"}.${price.slice(-9).padStart(9, "0")}`;
    const title = index % 10 === 0 ? `"${type}, hourly usage"` : `${type} hourly usage`;
    const subregion = `eu-west-2${"abc"[resource % 3]}`;
    batch += `123456789${String(resource % 7).padStart(3, "0")},999999999999,${category},${service},${operation},${type},${title},${subregion},i-${resource.toString(16).padStart(8, "0")},${date}:00:00.000+0000,${date}:59:59.999+0000,${value},${unitPrice},${priceText},EUR\n`;
    if (batch.length > 1 << 16) {
      if (!out.write(batch)) await once(out, "drain");
      batch = "";
    }
  }
  out.end(batch);
  await once(out, "finish");
}
