// Runs s3rver in its own Node process: it needs --openssl-legacy-provider (see architecture.md).
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
await server.run();
process.stdout.write("s3rver ready\n");
process.on("SIGTERM", () => server.close().then(() => process.exit(0)));
