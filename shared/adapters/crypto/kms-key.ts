import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { EncryptionContext } from "../../domain/credentials/model";
import { type DataKey, DataKeyRejected, type DataKeySource } from "./envelope";

// KMS answers these when a wrapped key does not belong to this key or this context.
const REJECTIONS = new Set(["InvalidCiphertextException", "IncorrectKeyException"]);

/** Data keys from AWS KMS, bound to the tenant + credential encryption context. */
export class KmsDataKeys implements DataKeySource {
  constructor(
    private readonly kms: KMSClient,
    readonly keyId: string,
  ) {}

  async generate(context: EncryptionContext): Promise<DataKey> {
    const reply = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: "AES_256",
        EncryptionContext: { ...context },
      }),
    );
    if (!reply.Plaintext || !reply.CiphertextBlob) throw new Error("KMS GenerateDataKey returned no key");
    return { plaintext: Buffer.from(reply.Plaintext), encrypted: Buffer.from(reply.CiphertextBlob) };
  }

  async decrypt(encrypted: Buffer, context: EncryptionContext): Promise<Buffer> {
    try {
      const reply = await this.kms.send(
        new DecryptCommand({
          KeyId: this.keyId,
          CiphertextBlob: encrypted,
          EncryptionContext: { ...context },
        }),
      );
      if (!reply.Plaintext) throw new Error("KMS Decrypt returned no key");
      return Buffer.from(reply.Plaintext);
    } catch (error) {
      if (error instanceof Error && REJECTIONS.has(error.name)) throw new DataKeyRejected(error.name);
      throw error;
    }
  }
}
