/**
 * Inventory sweep benchmark (`npx tsx bench/inventory.bench.ts`).
 *
 * For each size (5,000 and 20,000 resources per account), three processes so that neither the
 * fake's 400,000 objects nor a previous run weigh on the measured RSS:
 * - `--role=fake`: the OUTSCALE fake, 20 accounts seeded over the 13 types, 20 ms per call;
 * - `--role=sweep`: OutscaleInventory over every type of every account, 10 accounts at a time,
 *   each record a JSON line in a gzip file per account (stands in for the report writer);
 *   RSS sampled every 50 ms;
 * - the orchestrator (no flag): runs both, checks the fake's call counts, prints the figures.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { ProviderEnvironment } from "../shared/providers/environment";
import { PROVIDER_RETRY_POLICY } from "../shared/providers/http/outbound";
import { OutscaleInventory } from "../shared/providers/outscale/inventory";
import { type ResourceKind, startOutscaleFake } from "../test/fakes/outscale";

const ACCOUNTS = 20;
const CONCURRENCY = 10;
const LATENCY_MS = 20;
const RATE_PER_SECOND = 5;
const SIZES = [5_000, 20_000];
const REGION = "eu-west-2";

/** How 5,000 resources of one account spread over the types (scaled for larger sizes). */
const SHARE_OF_5000: Record<ResourceKind, number> = {
  Vms: 1500,
  Volumes: 1200,
  Snapshots: 600,
  Images: 200,
  PublicIps: 300,
  LoadBalancers: 50,
  Nets: 100,
  Subnets: 300,
  SecurityGroups: 300,
  Keypairs: 100,
  NatServices: 50,
  InternetServices: 100,
  RouteTables: 200,
};

const account = (index: number) => ({
  accountId: `1000000000${String(index).padStart(2, "0")}`,
  accessKey: `AKBENCHINVENTORY${String(index).padStart(4, "0")}`,
  secretKey: `BENCHSECRETINVENTORY${String(index).padStart(20, "0")}`,
  email: `bench${index}@example.com`,
});

function countsFor(perAccount: number): Record<ResourceKind, number> {
  const factor = perAccount / 5000;
  return Object.fromEntries(
    Object.entries(SHARE_OF_5000).map(([kind, count]) => [kind, Math.round(count * factor)]),
  ) as Record<ResourceKind, number>;
}

/** Pages the sweep must ask for: 1,000 per page, at least one call, load balancers in one. */
function expectedCalls(perAccount: number): number {
  return Object.entries(countsFor(perAccount)).reduce(
    (sum, [kind, count]) => sum + (kind === "LoadBalancers" ? 1 : Math.max(1, Math.ceil(count / 1000))),
    0,
  );
}

const argument = (name: string) =>
  process.argv.find((value) => value.startsWith(`--${name}=`))?.slice(name.length + 3);

// ---------- role: fake ----------

async function serveFake(perAccount: number): Promise<void> {
  const accounts = Array.from({ length: ACCOUNTS }, (_, index) => account(index));
  const outsider = account(99);
  const fake = await startOutscaleFake({ region: REGION, accounts: [...accounts, outsider] });
  for (const { accountId } of accounts) {
    for (const [kind, count] of Object.entries(countsFor(perAccount))) {
      fake.seed(accountId, kind as ResourceKind, count);
    }
  }
  // Public images and snapshots of another account: the sweep must filter them out.
  fake.seed(outsider.accountId, "Images", 300, { public: true });
  fake.seed(outsider.accountId, "Snapshots", 300, { public: true });
  fake.setLatency(LATENCY_MS);
  const seedingCpu = process.cpuUsage();
  const seedingCpuSeconds = (seedingCpu.user + seedingCpu.system) / 1e6;
  process.stdout.write(`${JSON.stringify({ urlTemplate: fake.urlTemplate, seedingCpuSeconds })}\n`);
  // Any line on stdin asks for the call counts per access key.
  for await (const _ of createInterface({ input: process.stdin })) {
    const calls: Record<string, number> = {};
    const refused = fake.requests.filter((request) => request.status !== 200).length;
    for (const request of fake.requests)
      calls[request.accessKey ?? "?"] = (calls[request.accessKey ?? "?"] ?? 0) + 1;
    const serving = process.cpuUsage(seedingCpu);
    const cpuSeconds = (serving.user + serving.system) / 1e6;
    process.stdout.write(`${JSON.stringify({ calls, refused, cpuSeconds })}\n`);
  }
}

// ---------- role: sweep ----------

interface SweepResult {
  seconds: number;
  cpuSeconds: number;
  baselineRssMiB: number;
  peakRssMiB: number;
  records: number[];
  gzipBytes: number;
}

/** Every type of one account, streamed as JSON lines into one gzip file. */
async function sweepAccount(collector: OutscaleInventory, path: string): Promise<number> {
  const gzip = createGzip({ level: 6 });
  const written = pipeline(gzip, createWriteStream(path));
  let records = 0;
  let batch = "";
  const flush = async () => {
    // Respect backpressure so a slow disk cannot make pages pile up in memory.
    if (!gzip.write(batch)) await once(gzip, "drain");
    batch = "";
  };
  for (const type of collector.resourceTypes) {
    for await (const record of collector.collect(type)) {
      batch += `${JSON.stringify(record)}\n`;
      records++;
      if (batch.length >= 64 * 1024) await flush();
    }
  }
  if (batch) await flush();
  gzip.end();
  await written;
  return records;
}

async function sweep(urlTemplate: string): Promise<SweepResult> {
  const environment: ProviderEnvironment = {
    outscaleApiUrlTemplate: urlTemplate,
    outscaleOosUrlTemplate: "http://127.0.0.1:1",
    cleverCloudApiUrl: "http://127.0.0.1:1",
    timeoutMs: 30_000,
    retry: PROVIDER_RETRY_POLICY,
    publicAddressesOnly: false,
  };
  const directory = await mkdtemp(join(tmpdir(), "inventory-bench-"));
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const cpuBefore = process.cpuUsage();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const records = new Array<number>(ACCOUNTS).fill(0);
  const started = performance.now();
  let nextAccount = 0;
  // A pool of CONCURRENCY workers taking accounts in turn; each account is paced by its own key.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = nextAccount++; index < ACCOUNTS; index = nextAccount++) {
        const keys = { ...account(index), region: REGION };
        const path = join(directory, `${keys.accountId}.jsonl.gz`);
        records[index] = await sweepAccount(new OutscaleInventory(keys, environment), path);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  let gzipBytes = 0;
  for (let index = 0; index < ACCOUNTS; index++) {
    gzipBytes += (await stat(join(directory, `${account(index).accountId}.jsonl.gz`))).size;
  }
  await rm(directory, { recursive: true, force: true });
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    baselineRssMiB: baselineRss / 2 ** 20,
    peakRssMiB: peakRss / 2 ** 20,
    records,
    gzipBytes,
  };
}

// ---------- orchestrator ----------

function start(role: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, import.meta.filename, `--role=${role}`, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
}

async function firstLine<T>(child: ChildProcess): Promise<T> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith("{")) {
      lines.close();
      return JSON.parse(line) as T;
    }
  }
  throw new Error("the child process ended without an answer");
}

async function runSize(perAccount: number) {
  const fake = start("fake", [`--per-account=${perAccount}`]);
  const fakeLines = createInterface({ input: fake.stdout! })[Symbol.asyncIterator]();
  const ready = JSON.parse((await fakeLines.next()).value as string) as { urlTemplate: string };
  const sweeper = start("sweep", [`--url=${ready.urlTemplate}`]);
  const result = await firstLine<SweepResult>(sweeper);
  fake.stdin!.write("report\n");
  const report = JSON.parse((await fakeLines.next()).value as string) as {
    calls: Record<string, number>;
    refused: number;
    cpuSeconds: number;
  };
  fake.kill();
  const calls = Object.entries(report.calls)
    .filter(([key]) => key.startsWith("AKBENCH"))
    .map(([, count]) => count);
  const expected = expectedCalls(perAccount);
  const perAccountBound = Math.max(...calls) / RATE_PER_SECOND + LATENCY_MS / 1000;
  const bound = Math.ceil(ACCOUNTS / CONCURRENCY) * perAccountBound;
  return {
    perAccount,
    seconds: result.seconds,
    bound,
    ratio: result.seconds / bound,
    callsPerAccount: [Math.min(...calls), Math.max(...calls)],
    expectedCalls: expected,
    refused: report.refused,
    recordsOk: result.records.every((count) => count === perAccount),
    records: result.records.reduce((sum, count) => sum + count, 0),
    peakRssMiB: result.peakRssMiB,
    baselineRssMiB: result.baselineRssMiB,
    sweepCpuSeconds: result.cpuSeconds,
    fakeCpuSeconds: report.cpuSeconds,
    gzipMiB: result.gzipBytes / 2 ** 20,
  };
}

async function orchestrate(): Promise<void> {
  console.log(
    `${ACCOUNTS} accounts, ${CONCURRENCY} at a time, ${RATE_PER_SECOND} req/s per account, ${LATENCY_MS} ms per call`,
  );
  for (const size of SIZES) {
    const run = await runSize(size);
    console.log(
      [
        `per account ${run.perAccount.toLocaleString("en")} resources:`,
        `sweep ${run.seconds.toFixed(2)} s`,
        `bound ${run.bound.toFixed(2)} s`,
        `ratio ${run.ratio.toFixed(2)}x`,
        `calls/account ${run.callsPerAccount.join("-")} (expected ${run.expectedCalls}, refused ${run.refused})`,
        `records ${run.records.toLocaleString("en")} (${run.recordsOk ? "all" : "NOT all"} accounts complete)`,
        `peak RSS ${run.peakRssMiB.toFixed(1)} MiB (before the sweep ${run.baselineRssMiB.toFixed(1)} MiB)`,
        `CPU: sweep ${run.sweepCpuSeconds.toFixed(1)} s, fake serving ${run.fakeCpuSeconds.toFixed(1)} s`,
        `gzip out ${run.gzipMiB.toFixed(1)} MiB`,
      ].join(" | "),
    );
  }
}

const role = argument("role");
if (role === "fake") await serveFake(Number(argument("per-account")));
else if (role === "sweep") {
  process.stdout.write(`${JSON.stringify(await sweep(argument("url")!))}\n`);
  // Keep-alive sockets to the fake would hold the process open.
  process.exit(0);
} else await orchestrate();
