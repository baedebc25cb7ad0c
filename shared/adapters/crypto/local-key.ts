import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { EncryptionContext } from "../../domain/credentials/model";
import { contextAad, type DataKey, DataKeyRejected, type DataKeySource } from "./envelope";

/**
 * The local stand-in for KMS (no KMS emulator exists on npm): a 256-bit master key in a file
 * under .data/, wrapping each data key with AES-256-GCM and the encryption context as AAD, so a
 * wrapped key copied to another credential fails exactly as KMS would fail it.
 */
export class LocalKeyFile implements DataKeySource {
  readonly keyId: string;

  private constructor(private readonly masterKey: Buffer) {
    this.keyId = `local:${createHash("sha256").update(masterKey).digest("hex").slice(0, 16)}`;
  }

  /** Reads the key file, creating it (mode 0600) on first use. */
  static open(path: string): LocalKeyFile {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    }
    const masterKey = Buffer.from(readFileSync(path, "utf8").trim(), "hex");
    if (masterKey.length !== 32) throw new Error(`the local key file ${path} must hold 32 bytes as hex`);
    return new LocalKeyFile(masterKey);
  }

  async generate(context: EncryptionContext): Promise<DataKey> {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.masterKey, iv);
    cipher.setAAD(contextAad(context));
    const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) };
  }

  async decrypt(encrypted: Buffer, context: EncryptionContext): Promise<Buffer> {
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.masterKey, encrypted.subarray(0, 12));
      decipher.setAAD(contextAad(context));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]);
    } catch {
      throw new DataKeyRejected("the local key refused this data key under this encryption context");
    }
  }
}
