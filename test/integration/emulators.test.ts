import { createServer } from "node:net";
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
import { describe, expect, inject, it } from "vitest";
import { assertPortFree, makeDynamoDbClient, makeS3Client } from "../../local/emulators";

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

describe("start-up checks", () => {
  it("names a busy port in one line", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await expect(assertPortFree(port, "the API")).rejects.toThrow(`port ${port} is busy (the API)`);
    server.close();
  });
});
