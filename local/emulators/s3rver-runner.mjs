// Runs s3rver in its own Node process, started with --openssl-legacy-provider: without it, any
// ListObjectsV2 page after the first fails with a 500 (see architecture.md).
// Usage: node --openssl-legacy-provider s3rver-runner.mjs <port> <directory> [bucket...]
import { createRequire } from "node:module";
import S3rver from "s3rver";

// Extra key pairs ("id:secret,id:secret") stand in for OOS billing keys in tests.
const { DUMMY_ACCOUNT } = createRequire(import.meta.url)("s3rver/lib/models/account");
for (const pair of (process.env.S3RVER_KEY_PAIRS ?? "").split(",").filter(Boolean)) {
  const [accessKeyId, secretAccessKey] = pair.split(":");
  DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: "127.0.0.1",
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
// One line for the parent's error message instead of a stack trace. s3rver 3.7.1's run() never
// rejects on a listen error (EADDRINUSE): that arrives as an unhandled 'error' event instead.
const failStart = (error) => {
  process.stderr.write(`s3rver could not start on port ${port}: ${error.message}\n`);
  process.exit(1);
};
process.once("uncaughtException", failStart);
await server.run().catch(failStart);
process.off("uncaughtException", failStart);
process.stdout.write("s3rver ready\n");

const stop = () => server.close().finally(() => process.exit(0));
process.once("SIGTERM", stop);
// The parent holds our stdin open: when it ends, the parent is gone (even killed by SIGKILL).
process.stdin.on("end", stop).resume();
