import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { PendingConnection, PendingConnectionStore } from "../../domain/credentials/connect";
import { toItem } from "./items";
import { keys } from "./keys";

/** Pending OAuth connections, tenant first, expiring through the table's TTL. */
export class DynamoDbPendingConnections implements PendingConnectionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async put(pending: PendingConnection): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({
          pk: keys.tenant(pending.tenant),
          sk: keys.pendingConnection(pending.id),
          entity: "pending-connection",
          ...pending,
          // The table's TTL attribute, in epoch seconds.
          expiresAt: Math.floor(Date.parse(pending.expiresAt) / 1000),
          expiresAtIso: pending.expiresAt,
        }),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async take(tenant: string, id: string): Promise<PendingConnection | undefined> {
    try {
      const reply = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: toItem({ pk: keys.tenant(tenant), sk: keys.pendingConnection(id) }),
          ConditionExpression: "attribute_exists(pk)",
          ReturnValues: "ALL_OLD",
        }),
      );
      if (!reply.Attributes) return undefined;
      const {
        pk: _pk,
        sk: _sk,
        entity: _entity,
        expiresAt: _ttl,
        expiresAtIso,
        ...rest
      } = unmarshall(reply.Attributes);
      return { ...(rest as Omit<PendingConnection, "expiresAt">), expiresAt: String(expiresAtIso) };
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return undefined;
      throw error;
    }
  }
}
