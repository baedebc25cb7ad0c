import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { startDynamoDbLocal } from "../local/emulators";
import { startLocalApi } from "../local/server";
import { LocalTokens } from "../local/tokens";
import { ensureTable } from "../shared/adapters/dynamodb/table";
import { parseConfig } from "../shared/config";
import { createApiHandler } from "../shared/http/api-handler";
import { createLogger, setLogSink } from "../shared/logging";
import { dynamoDbClient, wireServices } from "../shared/wiring";
import { bundleSizes } from "./bundle-size";
import { ms, summarize, timed } from "./stats";

/**
 * The API on the local stack against a raw DynamoDB GetItem on the same DynamoDB Local, measured
 * interleaved in one run (these machines are noisy: ratios, not absolute timings, are the result).
 * Usage: npm run bench [-- --credentials 1000 --reads 2000]
 */
const args = new Map(process.argv.slice(2).map((arg, index, all) => [arg, all[index + 1]]));
const CREDENTIALS = Number(args.get("--credentials") ?? 1000);
const READS = Number(args.get("--reads") ?? 2000);
const LIST_RUNS = Number(args.get("--list-runs") ?? 30);

function credentialBody(index: number) {
  const suffix = String(index).padStart(6, "0");
  return {
    provider: "outscale",
    name: `bench-${suffix}`,
    settings: {
      accessKey: `AKBENCH${suffix}0000000`.slice(0, 20),
      secretKey: `BENCHSECRET${suffix}`.padEnd(40, "0"),
      accountId: "123456789012",
      region: "eu-west-2",
    },
  };
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), "vault-bench-"));
  const dynamodbLocal = await startDynamoDbLocal({});
  // Access logs cost terminal I/O here that CloudWatch absorbs in Lambda: measure the API, not the terminal.
  setLogSink(() => undefined);
  try {
    const config = parseConfig({
      DEPLOY_MODE: "local",
      TABLE_NAME: "bench",
      LOCAL_KEY_FILE: join(workDir, "key"),
      DYNAMODB_ENDPOINT: dynamodbLocal.endpoint,
    });
    const dynamodb = dynamoDbClient(config);
    await ensureTable(dynamodb, config.TABLE_NAME);
    const tokens = LocalTokens.open(join(workDir, "jwt.key"));
    const api = await startLocalApi({
      port: 0,
      tokens,
      handler: createApiHandler({
        services: wireServices(config),
        logger: createLogger("info"),
        claimNames: { tenant: "tenant", roles: "roles" },
      }),
    });
    const token = await tokens.issue({ tenant: "bench", roles: ["admin"] });
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const call = async (method: string, path: string, body?: unknown) => {
      const reply = await fetch(`${api.url}${path}`, {
        method,
        headers,
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await reply.text();
      if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${text}`);
      return text;
    };

    const createTimes: number[] = [];
    const ids: string[] = [];
    for (let index = 0; index < CREDENTIALS; index++) {
      createTimes.push(
        await timed(async () =>
          ids.push(JSON.parse(await call("POST", "/v1/credentials", credentialBody(index))).id),
        ),
      );
    }

    // Warm both paths, then interleave API GETs and raw GetItems so noise hits both alike.
    const apiGets: number[] = [];
    const rawGets: number[] = [];
    for (let round = 0; round < READS + 200; round++) {
      const id = ids[round % ids.length]!;
      const apiTime = await timed(() => call("GET", `/v1/credentials/${id}`));
      const rawTime = await timed(() =>
        dynamodb.send(
          new GetItemCommand({
            TableName: config.TABLE_NAME,
            Key: { pk: { S: "TENANT#bench" }, sk: { S: `CRED#${id}` } },
            ConsistentRead: true,
          }),
        ),
      );
      if (round >= 200) {
        apiGets.push(apiTime);
        rawGets.push(rawTime);
      }
    }

    const pageTimes: number[] = [];
    const listAllTimes: number[] = [];
    for (let run = 0; run < LIST_RUNS; run++) {
      pageTimes.push(await timed(() => call("GET", "/v1/credentials?limit=100")));
      listAllTimes.push(
        await timed(async () => {
          let cursor: string | null = null;
          let seen = 0;
          do {
            const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
            const page = JSON.parse(await call("GET", `/v1/credentials?limit=100${query}`));
            seen += page.items.length;
            cursor = page.nextCursor;
          } while (cursor);
          if (seen !== CREDENTIALS) throw new Error(`listed ${seen} of ${CREDENTIALS}`);
        }),
      );
    }
    await api.stop();

    const apiGet = summarize(apiGets);
    const rawGet = summarize(rawGets);
    const results = {
      date: new Date().toISOString(),
      node: process.version,
      credentials: CREDENTIALS,
      create: summarize(createTimes),
      apiGet,
      rawGetItem: rawGet,
      ratioP50: apiGet.p50 / rawGet.p50,
      ratioP99: apiGet.p99 / rawGet.p99,
      listPageOf100: summarize(pageTimes),
      listAll: summarize(listAllTimes),
      bundles: await bundleSizes(join(workDir, "bundles")),
    };
    const line = (label: string, stats: { p50: number; p99: number; count: number }) =>
      `| ${label} | ${stats.count} | ${ms(stats.p50)} | ${ms(stats.p99)} |`;
    console.log(
      [
        `API benchmark, ${results.date}, Node ${results.node}, ${CREDENTIALS} credentials`,
        "",
        "| operation | samples | p50 | p99 |",
        "|---|---|---|---|",
        line("POST /v1/credentials", results.create),
        line("GET /v1/credentials/{id}", apiGet),
        line("raw DynamoDB GetItem (same DynamoDB Local)", rawGet),
        line("GET /v1/credentials?limit=100", results.listPageOf100),
        line(`list all ${CREDENTIALS} (pages of 100)`, results.listAll),
        "",
        `API GET / raw GetItem: p50 ${results.ratioP50.toFixed(2)}x, p99 ${results.ratioP99.toFixed(2)}x (target p50 < 2x)`,
        "",
        "| bundle | minified | gzip |",
        "|---|---|---|",
        ...results.bundles.map(
          (bundle) =>
            `| ${bundle.entry} | ${(bundle.bytes / 1024).toFixed(1)} KiB | ${(bundle.gzipBytes / 1024).toFixed(1)} KiB |`,
        ),
      ].join("\n"),
    );
    dynamodb.destroy();
  } finally {
    await dynamodbLocal.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
