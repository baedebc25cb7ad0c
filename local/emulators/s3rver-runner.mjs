// Runs s3rver in its own Node process, started with --openssl-legacy-provider: without it, any
// ListObjectsV2 page after the first fails with a 500 (see architecture.md).
// Usage: node --openssl-legacy-provider s3rver-runner.mjs <port> <directory> [bucket...]
import S3rver from "s3rver";

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  port: Number(port),
  address: "127.0.0.1",
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
await server.run();
process.stdout.write("s3rver ready\n");

const stop = () => server.close().finally(() => process.exit(0));
process.once("SIGTERM", stop);
// The parent holds our stdin open: when it ends, the parent is gone (even killed by SIGKILL).
process.stdin.on("end", stop).resume();
