import {
  type AttributeValue,
  type DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/client-dynamodb";
import type { PageQuery } from "../../domain/ports";
import { decodeCursor, encodeCursor } from "./cursor";

type Item = Record<string, AttributeValue>;

// A filtered list reads at most this many pages before returning a short page with a cursor.
const MAX_PAGES_PER_LIST = 10;

/**
 * Reads up to `limit` items. With a filter, each query asks only for as many items as are still
 * missing, so the last evaluated key is exactly the last item read and the cursor skips nothing.
 * The cursor must point into `cursorScope` (the caller's own partition).
 */
export async function queryPage(
  client: DynamoDBClient,
  tableName: string,
  input: Omit<QueryCommandInput, "TableName">,
  page: PageQuery,
  cursorScope: Record<string, string>,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const items: Item[] = [];
  let startKey = decodeCursor(page.cursor, cursorScope);
  for (let round = 0; round < MAX_PAGES_PER_LIST; round++) {
    const reply = await client.send(
      new QueryCommand({
        ...input,
        TableName: tableName,
        Limit: page.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(reply.Items ?? []));
    startKey = reply.LastEvaluatedKey;
    if (!startKey || items.length >= page.limit) break;
  }
  return { items, nextCursor: encodeCursor(startKey) };
}

/** Every item of a query, page after page (for bounded result sets such as a date range). */
export async function queryAll(
  client: DynamoDBClient,
  tableName: string,
  input: Omit<QueryCommandInput, "TableName">,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const reply = await client.send(
      new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }),
    );
    items.push(...(reply.Items ?? []));
    startKey = reply.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A tenant's items under a key prefix, newest first (their ids are ULIDs), one page at a time. */
export function queryNewestFirst(
  client: DynamoDBClient,
  tableName: string,
  tenantKey: string,
  prefix: string,
  page: PageQuery,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  return queryPage(
    client,
    tableName,
    {
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": { S: tenantKey }, ":prefix": { S: prefix } },
      ScanIndexForward: false,
    },
    page,
    { pk: tenantKey },
  );
}
