import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  CreateTableCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { afterAll, afterEach, describe, expect, inject, it, vi } from "vitest";
import {
  assertPortFree,
  checkJava,
  EmulatorError,
  makeDynamoDbClient,
  makeS3Client,
} from "../../local/emulators";

describe("DynamoDB Local", () => {
  it("runs transactions and reports a failed condition as ConditionalCheckFailed", async () => {
    const client = makeDynamoDbClient(inject("dynamodbEndpoint"));
    const TableName = `emulator-${Date.now()}`;
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    const put = {
      Put: { TableName, Item: { pk: { S: "a" } }, ConditionExpression: "attribute_not_exists(pk)" },
    };
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put] }));
    const error = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [put] }))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(error.CancellationReasons?.[0]?.Code).toBe("ConditionalCheckFailed");
    client.destroy();
  });
});

describe("the local S3 server", () => {
  const s3 = makeS3Client(inject("s3Endpoint"));
  const Bucket = `emulator-${Date.now()}`;
  afterAll(() => s3.destroy());

  it("stores a streamed object byte for byte (no chunk framing inside)", async () => {
    await s3.send(new CreateBucketCommand({ Bucket }));
    const payload = Buffer.from("line one\nline two\n".repeat(5000));
    await new Upload({
      client: s3,
      params: { Bucket, Key: "streamed.txt", Body: Readable.from([payload]) },
    }).done();
    const reply = await s3.send(new GetObjectCommand({ Bucket, Key: "streamed.txt" }));
    expect(Buffer.from(await reply.Body!.transformToByteArray()).equals(payload)).toBe(true);
  });

  it("lists past the first page", async () => {
    for (let index = 0; index < 5; index++) {
      await s3.send(new PutObjectCommand({ Bucket, Key: `page/${index}`, Body: `object ${index}` }));
    }
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket, Prefix: "page/", MaxKeys: 2, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    expect(keys).toEqual(["page/0", "page/1", "page/2", "page/3", "page/4"]);
  });
});

// These run without starting Java: a busy port, no java on PATH, a java that is too old.
describe("start-up checks", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("names a busy port in one line", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const error = await assertPortFree(port, "the API").catch((caught) => caught);
    server.close();
    expect(error).toBeInstanceOf(EmulatorError);
    expect(error.message).toContain(`port ${port} is busy (the API)`);
    expect(error.message).not.toContain("\n");
  });

  it("says Java is missing when there is no java on PATH", () => {
    vi.stubEnv("PATH", "");
    expect(() => checkJava()).toThrow(EmulatorError);
    expect(() => checkJava()).toThrow(/Java 17\+ is needed for DynamoDB Local and was not found on PATH/);
  });

  it("names the version of a java that is too old", () => {
    const bin = mkdtempSync(join(tmpdir(), "old-java-"));
    try {
      // A stand-in for Java 8, which prints its version on stderr like the real one.
      writeFileSync(join(bin, "java"), "#!/bin/sh\necho 'java version \"1.8.0_292\"' >&2\n");
      chmodSync(join(bin, "java"), 0o755);
      vi.stubEnv("PATH", bin);
      expect(() => checkJava()).toThrow(/the java on PATH is Java 8/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
