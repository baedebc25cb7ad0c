import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { processBillingObject } from "../shared/domain/billing/process";
import { type FocusCsvTarget, focusCsvStream } from "../shared/domain/finops/focus-csv";
import { parseCsvRecords } from "../shared/domain/finops/parse";
import { generateConsumptionCsv } from "./billing/generate";
import { mib, RssSampler } from "./billing/memory";

/**
 * The FinOps import core on a generated CSV: (a) the CSV parser alone (parseCsvRecords: records
 * of string fields) against (b) processBillingObject, the worker's own per-object function: parse,
 * normalise, daily aggregation and the FOCUS gzip CSV, written to a local file where the worker
 * streams it to S3. Every measured run is a fresh child process with the same
 * flags (this process's execArgv), reading the same file the same way (256 KiB read chunks);
 * runs alternate a, b, b, a, … so machine noise hits both alike, and a run's peak RSS
 * (`resourceUsage().maxRSS` of that child, plus a 50 ms sampler) is that phase's alone.
 * Usage:
 *   npx tsx bench/billing-import.bench.ts                 # 1M and 4M rows
 *   npx tsx bench/billing-import.bench.ts --rows 1000000  # one size
 *   options: --repetitions N (default 3), --gzip-level L
 */
const args = new Map(process.argv.slice(2).map((arg, index, all) => [arg, all[index + 1]]));
const REPETITIONS = Number(args.get("--repetitions") ?? 3);
const GZIP_LEVEL = args.has("--gzip-level") ? Number(args.get("--gzip-level")) : undefined;
const READ_CHUNK = 256 * 1024;

type Phase = "a" | "b";
interface PhaseResult {
  phase: Phase;
  ms: number;
  /** CPU time of the process's main thread alone (Linux), undefined elsewhere. */
  mainThreadCpuMs?: number;
  rows: number;
  problems: number;
  keys: number;
  sampledPeakRss: number;
  maxRss: number;
}

async function parserAlone(path: string): Promise<{ rows: number; problems: number; keys: number }> {
  let records = 0;
  for await (const _record of parseCsvRecords(createReadStream(path, { highWaterMark: READ_CHUNK })))
    records++;
  return { rows: records - 1, problems: 0, keys: 0 }; // the header
}

/** A FOCUS file like S3FocusSink.open gives process.ts: write() honours the stream's backpressure. */
function openFocusFile(outPath: string): FocusCsvTarget {
  const encoder = focusCsvStream(GZIP_LEVEL === undefined ? {} : { gzipLevel: GZIP_LEVEL });
  const written = pipeline(encoder, createWriteStream(outPath));
  return {
    write: async (chunk) => {
      if (!encoder.write(chunk)) await once(encoder, "drain");
    },
    done: async () => {
      encoder.end();
      await written;
    },
  };
}

/** (b): the import's own per-object function, as the worker runs it, writing its FOCUS file(s) locally. */
async function importCore(path: string, outPath: string) {
  let files = 0;
  const result = await processBillingObject(
    createReadStream(path, { highWaterMark: READ_CHUNK }),
    {
      bucket: "bench",
      region: "eu-west-2",
      key: "bench/consumption.csv",
      etag: "bench",
      size: statSync(path).size,
    },
    {
      credentialId: "cred-bench",
      location: { tenant: "bench", objectId: "bench-object" },
      open: () => openFocusFile(`${outPath}.${files++}`),
    },
  );
  return { rows: result.rows, problems: result.rowErrors, keys: result.groups.length };
}

/** CPU time (user + system) of this process's main thread, from /proc; undefined off Linux. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100); // clock ticks, USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** Child process: one phase, one line of JSON on stdout. */
async function runPhase(phase: Phase, input: string, output: string): Promise<void> {
  const sampler = new RssSampler();
  const cpuStarted = mainThreadCpuMs();
  const started = performance.now();
  const result = phase === "a" ? await parserAlone(input) : await importCore(input, output);
  const ms = performance.now() - started;
  const cpuEnded = mainThreadCpuMs();
  const sampledPeakRss = sampler.takePeak();
  sampler.stop();
  const line: PhaseResult = {
    phase,
    ms,
    mainThreadCpuMs: cpuStarted === undefined || cpuEnded === undefined ? undefined : cpuEnded - cpuStarted,
    ...result,
    sampledPeakRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  console.log(`PHASE ${JSON.stringify(line)}`);
}

function spawnPhase(phase: Phase, input: string, output: string): PhaseResult {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      "--phase",
      phase,
      "--input",
      input,
      "--output",
      output,
      ...(GZIP_LEVEL === undefined ? [] : ["--gzip-level", String(GZIP_LEVEL)]),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
  );
  const line = child.stdout.split("\n").find((text) => text.startsWith("PHASE "));
  if (child.status !== 0 || line === undefined) throw new Error(`phase ${phase} failed (${child.status})`);
  return JSON.parse(line.slice("PHASE ".length)) as PhaseResult;
}

async function runOneSize(rows: number) {
  const directory = mkdtempSync(join(tmpdir(), "billing-bench-"));
  try {
    const input = join(directory, "consumption.csv");
    const output = join(directory, "focus.csv.gz");
    await generateConsumptionCsv(input, rows);
    const phases: Phase[] = ["a", "b"];
    const results = new Map<Phase, PhaseResult[]>(phases.map((phase) => [phase, []]));
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const order = repetition % 2 === 0 ? phases : [...phases].reverse();
      for (const phase of order) {
        const result = spawnPhase(phase, input, output);
        if (result.rows !== rows) throw new Error(`phase ${phase} saw ${result.rows} rows, expected ${rows}`);
        results.get(phase)!.push(result);
      }
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const summary = (phase: Phase) => {
      const runs = results.get(phase)!;
      return {
        ms: median(runs.map((run) => run.ms)),
        cpuMs: runs.every((run) => run.mainThreadCpuMs !== undefined)
          ? median(runs.map((run) => run.mainThreadCpuMs!))
          : undefined,
        allMs: runs.map((run) => Math.round(run.ms)),
        rowsPerSecond: rows / (median(runs.map((run) => run.ms)) / 1000),
        maxRss: Math.max(...runs.map((run) => run.maxRss)),
        sampledPeakRss: Math.max(...runs.map((run) => run.sampledPeakRss)),
        keys: runs[0]!.keys,
        problems: runs[0]!.problems,
      };
    };
    const a = summary("a");
    const b = summary("b");
    return {
      rows,
      gzipLevel: GZIP_LEVEL ?? "default",
      inputMiB: statSync(input).size / 1024 / 1024,
      outputMiB: statSync(`${output}.0`).size / 1024 / 1024,
      a,
      b,
      ratio: b.ms / a.ms,
      cpuRatio: a.cpuMs && b.cpuMs ? b.cpuMs / a.cpuMs : undefined,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function report(result: Awaited<ReturnType<typeof runOneSize>>) {
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} rows/s`;
  const phase = (label: string, summary: typeof result.a) =>
    `  ${label}: ${rate(summary.rowsPerSecond)} (runs ${summary.allMs.join(", ")} ms)   peak RSS ${mib(summary.maxRss)} (sampled ${mib(summary.sampledPeakRss)})`;
  console.log(
    [
      `rows ${result.rows.toLocaleString("en-US")} (CSV ${result.inputMiB.toFixed(0)} MiB → FOCUS gzip ${result.outputMiB.toFixed(1)} MiB at level ${result.gzipLevel}, ${result.b.keys} daily keys, ${result.b.problems} problems)`,
      phase("(a) CSV parser alone", result.a),
      phase("(b) full import core", result.b),
      `  (b)/(a) time ratio: ${result.ratio.toFixed(2)}x` +
        (result.cpuRatio === undefined ? "" : ` (main-thread CPU: ${result.cpuRatio.toFixed(2)}x)`),
    ].join("\n"),
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
}

async function main() {
  const phase = args.get("--phase");
  if (phase !== undefined) {
    await runPhase(phase as Phase, args.get("--input")!, args.get("--output")!);
    return;
  }
  console.log(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, execArgv ${JSON.stringify(process.execArgv.filter((arg) => !arg.includes("tsx")))}`,
  );
  const rowsArgument = args.get("--rows");
  for (const rows of rowsArgument === undefined ? [1_000_000, 4_000_000] : [Number(rowsArgument)]) {
    report(await runOneSize(rows));
  }
}

await main();
