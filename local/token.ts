import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROLES, type Role } from "../shared/http/auth";
import { LocalTokens } from "./tokens";

/** `npm run token -- --tenant T --role viewer|editor|admin`: prints a bearer token the local API accepts. */
function main(): void {
  const { values } = parseArgs({
    options: {
      tenant: { type: "string" },
      role: { type: "string", multiple: true },
      subject: { type: "string" },
      "ttl-hours": { type: "string", default: "12" },
    },
  });
  const usage = `usage: npm run token -- --tenant T --role ${ROLES.join("|")} [--subject S] [--ttl-hours 12]`;
  if (!values.tenant || !/^[A-Za-z0-9._:@-]{1,128}$/.test(values.tenant)) {
    throw new Error(`${usage}\n--tenant must be 1-128 letters, digits or . _ : @ -`);
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknown.length > 0)
    throw new Error(`${usage}\n--role must be one of ${ROLES.join(", ")}`);
  const ttlHours = Number(values["ttl-hours"]);
  if (!Number.isFinite(ttlHours) || ttlHours <= 0)
    throw new Error(`${usage}\n--ttl-hours must be a positive number`);
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  const tokens = LocalTokens.open(join(dataDir, "local-jwt.key"));
  tokens
    .issue({
      tenant: values.tenant,
      roles: roles as Role[],
      subject: values.subject,
      ttlSeconds: Math.round(ttlHours * 3600),
    })
    .then((token) => process.stdout.write(`${token}\n`));
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
