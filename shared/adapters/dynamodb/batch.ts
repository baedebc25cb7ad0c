import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";

type Item = Record<string, AttributeValue>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** BatchWriteItem in groups of 25, resending what DynamoDB left unprocessed (with backoff). */
export async function batchWrite(
  client: DynamoDBClient,
  tableName: string,
  requests: WriteRequest[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += 25) {
    let pending: WriteRequest[] = requests.slice(start, start + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB left batch writes unprocessed after 8 retries");
      if (attempt > 0) await sleep(Math.random() * 50 * 2 ** attempt);
      const reply = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = reply.UnprocessedItems?.[tableName] ?? [];
    }
  }
}

/** BatchGetItem in groups of 100, consistent, resending unprocessed keys. */
export async function batchGet(client: DynamoDBClient, tableName: string, keys: Item[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let start = 0; start < keys.length; start += 100) {
    let pending: Item[] = keys.slice(start, start + 100);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB left batch reads unprocessed after 8 retries");
      if (attempt > 0) await sleep(Math.random() * 50 * 2 ** attempt);
      const reply = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(reply.Responses?.[tableName] ?? []));
      pending = (reply.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[];
    }
  }
  return found;
}
