import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { DailyCostAggregator } from "../shared/domain/finops/aggregate";
import { type FocusRecord, toFocusRecord } from "../shared/domain/finops/focus";
import { focusCsvStream } from "../shared/domain/finops/focus-csv";
import { parseBillingObject, parseCsvRecords } from "../shared/domain/finops/parse";
import { generateConsumptionCsv } from "./billing/generate";
import { mib, RssSampler } from "./billing/memory";

/**
 * The FinOps import core on a generated CSV: (a) the CSV parser alone against (b) parse +
 * normalise + FOCUS mapping + daily aggregation + FOCUS gzip CSV to a file, interleaved (a, b, b, a,
 * …) in one process so machine noise hits both alike. Usage:
 *   npx tsx bench/billing-import.bench.ts                 # 1M and 4M rows, each in a fresh process
 *   npx tsx bench/billing-import.bench.ts --rows 1000000  # one size in this process
 */
const args = new Map(process.argv.slice(2).map((arg, index, all) => [arg, all[index + 1]]));
const REPETITIONS = Number(args.get("--repetitions") ?? 3);

async function parserAlone(path: string): Promise<number> {
  let records = 0;
  for await (const _record of parseCsvRecords(createReadStream(path, { highWaterMark: 256 * 1024 })))
    records++;
  return records - 1; // the header
}

async function importCore(
  path: string,
  outPath: string,
): Promise<{ rows: number; problems: number; keys: number }> {
  const aggregator = new DailyCostAggregator();
  let rows = 0;
  let problems = 0;
  const context = { credentialId: "cred-bench", billingAccountName: "Bench" };
  async function* focusRecords(): AsyncGenerator<FocusRecord> {
    const body = createReadStream(path, { highWaterMark: 256 * 1024 });
    for await (const item of parseBillingObject(body, { key: "bench/consumption.csv" })) {
      if (item.kind === "problem") {
        problems++;
        continue;
      }
      rows++;
      aggregator.add(item);
      yield toFocusRecord(item, context);
    }
  }
  await pipeline(Readable.from(focusRecords()), focusCsvStream(), createWriteStream(outPath));
  return { rows, problems, keys: aggregator.size };
}

async function runOneSize(rows: number) {
  const directory = mkdtempSync(join(tmpdir(), "billing-bench-"));
  const sampler = new RssSampler();
  try {
    const input = join(directory, "consumption.csv");
    const output = join(directory, "focus.csv.gz");
    await generateConsumptionCsv(input, rows);
    const generationPeak = sampler.takePeak();
    const parserMs: number[] = [];
    const coreMs: number[] = [];
    const parserPeaks: number[] = [];
    const corePeaks: number[] = [];
    let coreResult = { rows: 0, problems: 0, keys: 0 };
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      const order = repetition % 2 === 0 ? (["a", "b"] as const) : (["b", "a"] as const);
      for (const phase of order) {
        sampler.takePeak();
        const started = performance.now();
        if (phase === "a") {
          const count = await parserAlone(input);
          if (count !== rows) throw new Error(`parser counted ${count} records, expected ${rows}`);
          parserMs.push(performance.now() - started);
          parserPeaks.push(sampler.takePeak());
        } else {
          coreResult = await importCore(input, output);
          if (coreResult.rows !== rows)
            throw new Error(`import saw ${coreResult.rows} rows, expected ${rows}`);
          coreMs.push(performance.now() - started);
          corePeaks.push(sampler.takePeak());
        }
      }
    }
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    return {
      rows,
      inputMiB: statSync(input).size / 1024 / 1024,
      outputMiB: statSync(output).size / 1024 / 1024,
      keys: coreResult.keys,
      problems: coreResult.problems,
      parserRowsPerSecond: rows / (median(parserMs) / 1000),
      coreRowsPerSecond: rows / (median(coreMs) / 1000),
      ratio: median(coreMs) / median(parserMs),
      parserPeakRss: Math.max(...parserPeaks),
      corePeakRss: Math.max(...corePeaks),
      generationPeakRss: generationPeak,
      processMaxRss: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    sampler.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

function report(result: Awaited<ReturnType<typeof runOneSize>>) {
  const rate = (value: number) => `${Math.round(value).toLocaleString("en-US")} rows/s`;
  console.log(
    [
      `rows ${result.rows.toLocaleString("en-US")} (CSV ${result.inputMiB.toFixed(0)} MiB → FOCUS gzip ${result.outputMiB.toFixed(1)} MiB, ${result.keys} daily keys, ${result.problems} problems)`,
      `  (a) CSV parser alone: ${rate(result.parserRowsPerSecond)}   peak RSS ${mib(result.parserPeakRss)}`,
      `  (b) full import core: ${rate(result.coreRowsPerSecond)}   peak RSS ${mib(result.corePeakRss)}`,
      `  (b)/(a) time ratio: ${result.ratio.toFixed(2)}x   process max RSS ${mib(result.processMaxRss)} (incl. generating the input: ${mib(result.generationPeakRss)})`,
    ].join("\n"),
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
}

async function main() {
  console.log(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  );
  const rowsArgument = args.get("--rows");
  if (rowsArgument !== undefined) {
    report(await runOneSize(Number(rowsArgument)));
    return;
  }
  // Each size in its own process: RSS never shrinks back, so sizes measured in one process would mix.
  for (const rows of [1_000_000, 4_000_000]) {
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        "--rows",
        String(rows),
        "--repetitions",
        String(REPETITIONS),
      ],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
}

await main();
