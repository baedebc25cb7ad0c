import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { CostGroup, ObjectManifest } from "../../domain/billing/model";
import type { CostStore } from "../../domain/billing/ports";
import { ConcurrentModification } from "../../domain/errors";
import { batchGet, batchWrite } from "./batch";
import { toItem } from "./items";
import { keys } from "./keys";
import { queryAll } from "./query";

/** Cost groups per contribution item: well under DynamoDB's 400 KB item limit. */
const GROUPS_PER_ITEM = 400;

/**
 * Daily cost contributions, one set per object version (ETag), and each object's manifest naming
 * the version that counts. Queries count only items of the manifest's active version, so a
 * version written but not committed (a crash) or replaced (a changed file) is never added twice.
 */
export class DynamoDbCostStore implements CostStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async getManifest(
    tenant: string,
    credentialId: string,
    objectId: string,
  ): Promise<ObjectManifest | undefined> {
    const reply = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: keys.tenant(tenant), sk: keys.billingObject(credentialId, objectId) }),
        ConsistentRead: true,
      }),
    );
    if (!reply.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...manifest } = unmarshall(reply.Item);
    return manifest as ObjectManifest;
  }

  async writeContribution(
    tenant: string,
    credentialId: string,
    objectId: string,
    etag: string,
    groups: CostGroup[],
  ): Promise<string[]> {
    const byDay = new Map<string, CostGroup[]>();
    for (const group of groups) byDay.set(group.day, [...(byDay.get(group.day) ?? []), group]);
    const items: Array<Record<string, unknown>> = [];
    for (const [day, dayGroups] of byDay) {
      for (let chunk = 0; chunk * GROUPS_PER_ITEM < dayGroups.length; chunk++) {
        items.push({
          pk: keys.tenant(tenant),
          sk: keys.costDay(day, credentialId, objectId, etag, chunk),
          entity: "cost-contribution",
          day,
          credentialId,
          objectId,
          etag,
          groups: dayGroups
            .slice(chunk * GROUPS_PER_ITEM, (chunk + 1) * GROUPS_PER_ITEM)
            .map(({ day: _day, ...group }) => group),
        });
      }
    }
    await batchWrite(
      this.client,
      this.tableName,
      items.map((item) => ({ PutRequest: { Item: toItem(item) } })),
    );
    return items.map((item) => String(item.sk));
  }

  async commitManifest(next: ObjectManifest, previousEtag: string | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: toItem({
            pk: keys.tenant(next.tenant),
            sk: keys.billingObject(next.credentialId, next.objectId),
            entity: "billing-object",
            ...next,
          }),
          ConditionExpression:
            previousEtag === undefined ? "attribute_not_exists(activeEtag)" : "activeEtag = :previous",
          ...(previousEtag === undefined
            ? {}
            : { ExpressionAttributeValues: toItem({ ":previous": previousEtag }) }),
        }),
      );
    } catch (error) {
      // Another worker committed another version of this object meanwhile: let the queue retry.
      if (error instanceof Error && error.name === "ConditionalCheckFailedException")
        throw new ConcurrentModification();
      throw error;
    }
  }

  async recordFailure(manifest: ObjectManifest): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: toItem({
          pk: keys.tenant(manifest.tenant),
          sk: keys.billingObject(manifest.credentialId, manifest.objectId),
        }),
        // Every name through a placeholder: `bucket` and `key` are DynamoDB reserved words.
        UpdateExpression:
          "SET #entity = :entity, #tenant = :tenant, #credentialId = :credentialId, #objectId = :objectId, " +
          "#bucket = :bucket, #key = :key, #lastAttemptEtag = :etag, #lastStatus = :status, #lastReason = :reason, " +
          "#updatedAt = :now, #activeChunks = if_not_exists(#activeChunks, :none), " +
          "#activeMonths = if_not_exists(#activeMonths, :none), #activeRows = if_not_exists(#activeRows, :zero)",
        ExpressionAttributeNames: Object.fromEntries(
          [
            "entity",
            "tenant",
            "credentialId",
            "objectId",
            "bucket",
            "key",
            "lastAttemptEtag",
            "lastStatus",
            "lastReason",
            "updatedAt",
            "activeChunks",
            "activeMonths",
            "activeRows",
          ].map((name) => [`#${name}`, name]),
        ),
        ExpressionAttributeValues: toItem({
          ":entity": "billing-object",
          ":tenant": manifest.tenant,
          ":credentialId": manifest.credentialId,
          ":objectId": manifest.objectId,
          ":bucket": manifest.bucket,
          ":key": manifest.key,
          ":etag": manifest.lastAttemptEtag,
          ":status": manifest.lastStatus,
          ":reason": manifest.lastReason ?? "",
          ":now": manifest.updatedAt,
          ":none": [],
          ":zero": 0,
        }),
      }),
    );
  }

  async deleteChunks(tenant: string, chunkKeys: string[]): Promise<void> {
    await batchWrite(
      this.client,
      this.tableName,
      chunkKeys.map((sk) => ({ DeleteRequest: { Key: toItem({ pk: keys.tenant(tenant), sk }) } })),
    );
  }

  async queryCosts(
    tenant: string,
    from: string,
    to: string,
    credentialId?: string,
  ): Promise<Array<CostGroup & { credentialId: string }>> {
    const items = (
      await queryAll(this.client, this.tableName, {
        // `to` is exclusive: "COSTDAY#<to>" sorts before every item of that day.
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: toItem({
          ":pk": keys.tenant(tenant),
          ":from": `${keys.costDayPrefix}${from}`,
          ":to": `${keys.costDayPrefix}${to}`,
        }),
      })
    )
      .map((item) => unmarshall(item))
      .filter((item) => !credentialId || item.credentialId === credentialId);
    const objects = new Map(items.map((item) => [`${item.credentialId}#${item.objectId}`, item]));
    const manifests = await batchGet(
      this.client,
      this.tableName,
      [...objects.values()].map((item) =>
        toItem({
          pk: keys.tenant(tenant),
          sk: keys.billingObject(String(item.credentialId), String(item.objectId)),
        }),
      ),
    );
    const activeEtags = new Map(
      manifests
        .map((manifest) => unmarshall(manifest))
        .map((manifest) => [`${manifest.credentialId}#${manifest.objectId}`, manifest.activeEtag]),
    );
    return items
      .filter((item) => activeEtags.get(`${item.credentialId}#${item.objectId}`) === item.etag)
      .flatMap((item) =>
        (item.groups as Array<Omit<CostGroup, "day">>).map((group) => ({
          ...group,
          day: String(item.day),
          credentialId: String(item.credentialId),
        })),
      );
  }
}
