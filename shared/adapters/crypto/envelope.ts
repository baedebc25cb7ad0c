import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptedSecrets, EncryptionContext } from "../../domain/credentials/model";
import type { SecretSealer } from "../../domain/credentials/ports";
import { SecretsUndecryptable } from "../../domain/errors";

/** A data key fresh from the key service: the plaintext to encrypt with, and its wrapped form to store. */
export interface DataKey {
  plaintext: Buffer;
  encrypted: Buffer;
}

/** The key service (KMS in AWS, a key file locally) that wraps and unwraps data keys. */
export interface DataKeySource {
  readonly keyId: string;
  generate(context: EncryptionContext): Promise<DataKey>;
  /** Throws DataKeyRejected when the wrapped key does not open under this context. */
  decrypt(encrypted: Buffer, context: EncryptionContext): Promise<Buffer>;
}

/** The key service refused to unwrap a data key: wrong context, wrong key, or altered bytes. */
export class DataKeyRejected extends Error {}

/** The context as additional authenticated data: the ciphertext opens only under the same binding. */
export function contextAad(context: EncryptionContext): Buffer {
  return Buffer.from(JSON.stringify({ credentialId: context.credentialId, tenant: context.tenant }));
}

/** Envelope encryption: one data key per write, AES-256-GCM, the context bound as AAD. */
export class EnvelopeSealer implements SecretSealer {
  constructor(private readonly keys: DataKeySource) {}

  async seal(secrets: Record<string, unknown>, context: EncryptionContext): Promise<EncryptedSecrets> {
    const dataKey = await this.keys.generate(context);
    try {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", dataKey.plaintext, iv);
      cipher.setAAD(contextAad(context));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
      return {
        algorithm: "AES-256-GCM",
        keyId: this.keys.keyId,
        encryptedDataKey: dataKey.encrypted.toString("base64"),
        iv: iv.toString("base64"),
        ciphertext: ciphertext.toString("base64"),
        authTag: cipher.getAuthTag().toString("base64"),
      };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  async open(sealed: EncryptedSecrets, context: EncryptionContext): Promise<Record<string, unknown>> {
    let key: Buffer;
    try {
      key = await this.keys.decrypt(Buffer.from(sealed.encryptedDataKey, "base64"), context);
    } catch (error) {
      if (error instanceof DataKeyRejected) throw new SecretsUndecryptable(context.credentialId);
      throw error;
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
      decipher.setAAD(contextAad(context));
      decipher.setAuthTag(Buffer.from(sealed.authTag, "base64"));
      const plaintext = Buffer.concat([
        decipher.update(Buffer.from(sealed.ciphertext, "base64")),
        decipher.final(),
      ]);
      return JSON.parse(plaintext.toString("utf8")) as Record<string, unknown>;
    } catch {
      throw new SecretsUndecryptable(context.credentialId);
    } finally {
      key.fill(0);
    }
  }
}
