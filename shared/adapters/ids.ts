import { randomBytes } from "node:crypto";
import type { IdGenerator } from "../domain/ports";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** ULID: 48 bits of milliseconds then 80 random bits, Crockford base32; sorts by creation time. */
export function newUlid(now = Date.now()): string {
  let time = "";
  let remaining = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = randomBytes(16);
  let entropy = "";
  for (let i = 0; i < 16; i++) entropy += CROCKFORD[random[i]! % 32];
  return time + entropy;
}

export const ulidGenerator: IdGenerator = { newId: () => newUlid() };
