// Runs s3rver in its own Node process: it needs --openssl-legacy-provider (see architecture.md).
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
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
