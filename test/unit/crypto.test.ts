import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { EnvelopeSealer } from "../../shared/adapters/crypto/envelope";
import { KmsDataKeys } from "../../shared/adapters/crypto/kms-key";
import { LocalKeyFile } from "../../shared/adapters/crypto/local-key";
import { SecretsUndecryptable } from "../../shared/domain/errors";

const keyFile = () => join(mkdtempSync(join(tmpdir(), "vault-key-")), "local-master.key");
const context = { tenant: "acme", credentialId: "01JABCDEFGHJKMNPQRSTVWXYZ0" };

describe("envelope encryption with the local key", () => {
  const sealer = new EnvelopeSealer(LocalKeyFile.open(keyFile()));

  it("round-trips secrets and stores no plaintext", async () => {
    const sealed = await sealer.seal({ secretKey: "very-secret-value" }, context);
    expect(JSON.stringify(sealed)).not.toContain("very-secret-value");
    expect(sealed.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(await sealer.open(sealed, context)).toEqual({ secretKey: "very-secret-value" });
  });

  it("uses a fresh data key and IV on every write", async () => {
    const first = await sealer.seal({ a: "same" }, context);
    const second = await sealer.seal({ a: "same" }, context);
    expect(first.encryptedDataKey).not.toBe(second.encryptedDataKey);
    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  it("refuses a ciphertext under another tenant or credential", async () => {
    const sealed = await sealer.seal({ secretKey: "x" }, context);
    await expect(sealer.open(sealed, { ...context, tenant: "other" })).rejects.toBeInstanceOf(
      SecretsUndecryptable,
    );
    await expect(
      sealer.open(sealed, { ...context, credentialId: "01JOTHER000000000000000000" }),
    ).rejects.toThrow(/cannot be decrypted/);
  });

  it("refuses altered bytes", async () => {
    const sealed = await sealer.seal({ secretKey: "x" }, context);
    const flipped = Buffer.from(sealed.ciphertext, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect(
      sealer.open({ ...sealed, ciphertext: flipped.toString("base64") }, context),
    ).rejects.toBeInstanceOf(SecretsUndecryptable);
  });

  it("refuses a ciphertext sealed by another key file", async () => {
    const sealed = await sealer.seal({ secretKey: "x" }, context);
    const otherSealer = new EnvelopeSealer(LocalKeyFile.open(keyFile()));
    await expect(otherSealer.open(sealed, context)).rejects.toBeInstanceOf(SecretsUndecryptable);
  });
});

describe("envelope encryption with KMS", () => {
  // No KMS emulator exists: a stand-in client checks what we send and answers as KMS does.
  function fakeKms() {
    const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
    const plaintextKey = Buffer.alloc(32, 7);
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        calls.push({ name: command.constructor.name, input: command.input });
        const boundTo = JSON.stringify(command.input.EncryptionContext);
        if (command.constructor.name === "GenerateDataKeyCommand") {
          return {
            Plaintext: new Uint8Array(plaintextKey),
            CiphertextBlob: Buffer.from(`wrapped:${boundTo}`),
          };
        }
        if (Buffer.from(command.input.CiphertextBlob as Uint8Array).toString() !== `wrapped:${boundTo}`) {
          throw Object.assign(new Error("InvalidCiphertextException"), {
            name: "InvalidCiphertextException",
          });
        }
        return { Plaintext: new Uint8Array(plaintextKey) };
      },
    } as unknown as KMSClient;
    return { client, calls };
  }

  it("asks KMS for an AES-256 data key bound to the tenant and credential", async () => {
    const kms = fakeKms();
    const sealer = new EnvelopeSealer(
      new KmsDataKeys(kms.client, "arn:aws:kms:eu-west-3:111122223333:key/k"),
    );
    const sealed = await sealer.seal({ apiToken: "t" }, context);
    expect(kms.calls[0]).toEqual({
      name: "GenerateDataKeyCommand",
      input: {
        KeyId: "arn:aws:kms:eu-west-3:111122223333:key/k",
        KeySpec: "AES_256",
        EncryptionContext: context,
      },
    });
    expect(await sealer.open(sealed, context)).toEqual({ apiToken: "t" });
    expect(kms.calls[1]?.input.EncryptionContext).toEqual(context);
  });

  it("turns KMS's refusal into SecretsUndecryptable, and other KMS failures into themselves", async () => {
    const kms = fakeKms();
    const sealer = new EnvelopeSealer(new KmsDataKeys(kms.client, "k"));
    const sealed = await sealer.seal({ apiToken: "t" }, context);
    await expect(sealer.open(sealed, { ...context, tenant: "other" })).rejects.toBeInstanceOf(
      SecretsUndecryptable,
    );
    const throttled = new EnvelopeSealer(
      new KmsDataKeys(
        {
          send: async () => {
            throw Object.assign(new Error("slow down"), { name: "ThrottlingException" });
          },
        } as unknown as KMSClient,
        "k",
      ),
    );
    await expect(throttled.open(sealed, context)).rejects.toThrow("slow down");
  });
});
