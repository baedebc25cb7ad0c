import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { InventoryRun } from "../../domain/inventory/model";
import type { InventoryRunStore } from "../../domain/inventory/ports";
import type { Page, PageQuery } from "../../domain/ports";
import { toItem } from "./items";
import { GSI1, keys } from "./keys";
import { queryAll, queryNewestFirst } from "./query";

function runFromItem(item: Record<string, unknown>): InventoryRun {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g1, gsi1sk: _g2, ...run } = item;
  return run as unknown as InventoryRun;
}

/** Inventory runs (listed per tenant, and per credential through gsi1) and the per-credential sweep lease. */
export class DynamoDbInventoryRuns implements InventoryRunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private item(run: InventoryRun) {
    return toItem({
      pk: keys.tenant(run.tenant),
      sk: keys.inventoryRun(run.id),
      entity: "inventory-run",
      gsi1pk: keys.inventoryRunsByCredential(run.tenant, run.credentialId),
      gsi1sk: run.id,
      ...run,
    });
  }

  async create(run: InventoryRun): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: this.item(run),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async save(run: InventoryRun): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: this.item(run) }));
  }

  async get(tenant: string, id: string): Promise<InventoryRun | undefined> {
    const reply = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: keys.tenant(tenant), sk: keys.inventoryRun(id) }),
        ConsistentRead: true,
      }),
    );
    return reply.Item ? runFromItem(unmarshall(reply.Item)) : undefined;
  }

  async list(tenant: string, page: PageQuery): Promise<Page<InventoryRun>> {
    const result = await queryNewestFirst(
      this.client,
      this.tableName,
      keys.tenant(tenant),
      keys.inventoryRunPrefix,
      page,
    );
    return {
      items: result.items.map((item) => runFromItem(unmarshall(item))),
      nextCursor: result.nextCursor,
    };
  }

  async previousCompleted(
    tenant: string,
    credentialId: string,
    beforeRunId: string,
  ): Promise<InventoryRun | undefined> {
    const items = await queryAll(this.client, this.tableName, {
      IndexName: GSI1,
      KeyConditionExpression: "gsi1pk = :partition AND gsi1sk < :before",
      FilterExpression: "#status IN (:succeeded, :partial)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: toItem({
        ":partition": keys.inventoryRunsByCredential(tenant, credentialId),
        ":before": beforeRunId,
        ":succeeded": "succeeded",
        ":partial": "partial",
      }),
      ScanIndexForward: false,
    });
    return items[0] ? runFromItem(unmarshall(items[0])) : undefined;
  }

  async acquireLease(
    tenant: string,
    credentialId: string,
    runId: string,
    ttlSeconds: number,
  ): Promise<boolean> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({
            pk: keys.tenant(tenant),
            sk: keys.sweepLease(credentialId),
            entity: "sweep-lease",
            runId,
            // The table's TTL attribute: a crashed worker's lease lapses by itself.
            expiresAt: now + ttlSeconds,
          }),
          ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now OR runId = :runId",
          ExpressionAttributeValues: toItem({ ":now": now, ":runId": runId }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  async releaseLease(tenant: string, credentialId: string, runId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toItem({ pk: keys.tenant(tenant), sk: keys.sweepLease(credentialId) }),
          ConditionExpression: "runId = :runId",
          ExpressionAttributeValues: toItem({ ":runId": runId }),
        }),
      );
    } catch (error) {
      // Another sweep holds it now (ours had lapsed): not ours to release.
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    }
  }
}
