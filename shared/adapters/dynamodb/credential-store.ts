import { type DynamoDBClient, GetItemCommand, type QueryCommandInput } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type {
  AuditEvent,
  ClusterAssociation,
  Credential,
  ValidationResult,
} from "../../domain/credentials/model";
import { credentialNameKey } from "../../domain/credentials/model";
import type { CredentialListQuery, CredentialStore, IdempotencyClaim } from "../../domain/credentials/ports";
import {
  ConcurrentModification,
  IdempotencyKeyReused,
  InUse,
  NameTaken,
  NotFound,
  VersionMismatch,
} from "../../domain/errors";
import type { Page, PageQuery } from "../../domain/ports";
import type { Mode, ProviderId } from "../../domain/providers/types";
import {
  associationFromItem,
  associationItem,
  auditFromItem,
  auditItem,
  credentialAttributes,
  credentialFromItem,
  credentialItem,
  nameGuardItem,
  toItem,
  updateExpression,
} from "./items";
import { GSI1, GSI2_FINOPS, GSI3_INVENTORY, keys } from "./keys";
import { queryAll, queryPage } from "./query";
import { conditionFailed, transactWrite } from "./transactions";

const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export class DynamoDbCredentialStore implements CredentialStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(
    credential: Credential,
    audits: AuditEvent[],
    idempotency?: IdempotencyClaim,
  ): Promise<{ replayOf?: string }> {
    const tenantKey = keys.tenant(credential.tenant);
    const nowSeconds = Math.floor(Date.parse(credential.createdAt) / 1000);
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: credentialItem(credential),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: nameGuardItem(credential),
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ...audits.map((audit) => ({ Put: { TableName: this.tableName, Item: auditItem(audit) } })),
      ...(idempotency
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: toItem({
                  pk: tenantKey,
                  sk: keys.idempotency(idempotency.key),
                  entity: "idempotency-key",
                  requestHash: idempotency.requestHash,
                  credentialId: credential.id,
                  expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
                }),
                // An expired key (TTL deletes lazily) may be claimed again.
                ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
                ExpressionAttributeValues: toItem({ ":now": nowSeconds }),
              },
            },
          ]
        : []),
    ]);
    if (!reasons) return {};
    if (idempotency && conditionFailed(reasons, 2 + audits.length)) {
      const claimed = await this.getItem(tenantKey, keys.idempotency(idempotency.key));
      if (claimed && claimed.requestHash === idempotency.requestHash)
        return { replayOf: String(claimed.credentialId) };
      throw new IdempotencyKeyReused();
    }
    if (conditionFailed(reasons, 1)) throw new NameTaken(credential.name);
    throw new Error(`credential create cancelled: ${reasons.map((reason) => reason.Code).join(", ")}`);
  }

  async get(tenant: string, id: string): Promise<Credential | undefined> {
    const reply = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: toItem({ pk: keys.tenant(tenant), sk: keys.credential(id) }),
        ConsistentRead: true,
      }),
    );
    return reply.Item ? credentialFromItem(reply.Item) : undefined;
  }

  async list(tenant: string, query: CredentialListQuery): Promise<Page<Credential>> {
    const partition = keys.credentialsByName(tenant);
    const filters: string[] = [];
    const values: Record<string, unknown> = { ":partition": partition };
    if (query.provider) {
      filters.push("provider = :provider");
      values[":provider"] = query.provider;
    }
    if (query.mode) {
      filters.push("contains(modes, :mode)");
      values[":mode"] = query.mode;
    }
    if (query.nameContains) {
      filters.push("contains(nameKey, :nameContains)");
      values[":nameContains"] = credentialNameKey(query.nameContains);
    }
    const page = await queryPage(
      this.client,
      this.tableName,
      {
        IndexName: GSI1,
        KeyConditionExpression: "gsi1pk = :partition",
        FilterExpression: filters.length ? filters.join(" AND ") : undefined,
        ExpressionAttributeValues: toItem(values),
      },
      query,
      { pk: keys.tenant(tenant), gsi1pk: partition },
    );
    return { items: page.items.map(credentialFromItem), nextCursor: page.nextCursor };
  }

  async update(previous: Credential, next: Credential, audits: AuditEvent[]): Promise<void> {
    const tenantKey = keys.tenant(previous.tenant);
    // clusterCount is owned by associate/dissociate, which may run concurrently: never SET it here.
    const {
      clusterCount: _count,
      createdAt: _createdAt,
      createdBy: _createdBy,
      ...changed
    } = credentialAttributes(next);
    const update = updateExpression(changed);
    const renamed = credentialNameKey(previous.name) !== credentialNameKey(next.name);
    const reasons = await transactWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: toItem({ pk: tenantKey, sk: keys.credential(previous.id) }),
          ...update,
          ConditionExpression: "version = :expectedVersion",
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...toItem({ ":expectedVersion": previous.version }),
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      ...(renamed
        ? [
            {
              Delete: {
                TableName: this.tableName,
                Key: toItem({ pk: tenantKey, sk: keys.nameGuard(credentialNameKey(previous.name)) }),
                ConditionExpression: "credentialId = :id",
                ExpressionAttributeValues: toItem({ ":id": previous.id }),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: nameGuardItem(next),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ]
        : []),
      ...audits.map((audit) => ({ Put: { TableName: this.tableName, Item: auditItem(audit) } })),
    ]);
    if (!reasons) return;
    if (conditionFailed(reasons, 0)) {
      const stored = reasons[0]?.Item;
      if (!stored) throw new NotFound("credential");
      throw new VersionMismatch(previous.version, Number(unmarshall(stored).version));
    }
    if (renamed && conditionFailed(reasons, 2)) throw new NameTaken(next.name);
    throw new Error(`credential update cancelled: ${reasons.map((reason) => reason.Code).join(", ")}`);
  }

  async delete(
    credential: Credential,
    expectedVersion: number | undefined,
    audit: AuditEvent,
  ): Promise<void> {
    const tenantKey = keys.tenant(credential.tenant);
    const conditionValues: Record<string, unknown> = { ":zero": 0 };
    let condition = "clusterCount = :zero";
    if (expectedVersion !== undefined) {
      condition += " AND version = :expectedVersion";
      conditionValues[":expectedVersion"] = expectedVersion;
    }
    const reasons = await transactWrite(this.client, [
      {
        Delete: {
          TableName: this.tableName,
          Key: toItem({ pk: tenantKey, sk: keys.credential(credential.id) }),
          ConditionExpression: condition,
          ExpressionAttributeValues: toItem(conditionValues),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      {
        Delete: {
          TableName: this.tableName,
          Key: toItem({ pk: tenantKey, sk: keys.nameGuard(credentialNameKey(credential.name)) }),
          ConditionExpression: "credentialId = :id",
          ExpressionAttributeValues: toItem({ ":id": credential.id }),
        },
      },
      { Put: { TableName: this.tableName, Item: auditItem(audit) } },
    ]);
    if (!reasons) return;
    const stored = reasons[0]?.Item ? credentialFromItem(reasons[0].Item) : undefined;
    if (conditionFailed(reasons, 0)) {
      if (!stored) throw new NotFound("credential");
      if (expectedVersion !== undefined && stored.version !== expectedVersion) {
        throw new VersionMismatch(expectedVersion, stored.version);
      }
      const clusters = await this.listClusters(credential.tenant, credential.id, { limit: 100 });
      throw new InUse(clusters.items.map((association) => association.clusterId));
    }
    // The name guard moved: a concurrent rename won; the caller's view is stale.
    if (conditionFailed(reasons, 1))
      throw new VersionMismatch(expectedVersion ?? credential.version, undefined);
    throw new Error(`credential delete cancelled: ${reasons.map((reason) => reason.Code).join(", ")}`);
  }

  async listClusters(
    tenant: string,
    credentialId: string,
    page: PageQuery,
  ): Promise<Page<ClusterAssociation>> {
    const result = await queryPage(
      this.client,
      this.tableName,
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: toItem({
          ":pk": keys.tenant(tenant),
          ":prefix": keys.clusterPrefix(credentialId),
        }),
      },
      page,
      { pk: keys.tenant(tenant) },
    );
    return { items: result.items.map(associationFromItem), nextCursor: result.nextCursor };
  }

  async associate(
    association: ClusterAssociation,
    audit: AuditEvent,
  ): Promise<{ association: ClusterAssociation; created: boolean }> {
    const tenantKey = keys.tenant(association.tenant);
    const reasons = await transactWrite(this.client, [
      {
        Put: {
          TableName: this.tableName,
          Item: associationItem(association),
          ConditionExpression: "attribute_not_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: toItem({ pk: tenantKey, sk: keys.credential(association.credentialId) }),
          UpdateExpression: "ADD clusterCount :one",
          // An association racing a delete: only one of the two transactions can commit.
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: toItem({ ":one": 1 }),
        },
      },
      { Put: { TableName: this.tableName, Item: auditItem(audit) } },
    ]);
    if (!reasons) return { association, created: true };
    if (conditionFailed(reasons, 1)) throw new NotFound("credential");
    const existing = reasons[0]?.Item;
    if (conditionFailed(reasons, 0) && existing)
      return { association: associationFromItem(existing), created: false };
    throw new Error(`cluster association cancelled: ${reasons.map((reason) => reason.Code).join(", ")}`);
  }

  async dissociate(
    tenant: string,
    credentialId: string,
    clusterId: string,
    audit: AuditEvent,
  ): Promise<void> {
    const tenantKey = keys.tenant(tenant);
    const reasons = await transactWrite(this.client, [
      {
        Delete: {
          TableName: this.tableName,
          Key: toItem({ pk: tenantKey, sk: keys.cluster(credentialId, clusterId) }),
          ConditionExpression: "attribute_exists(pk)",
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: toItem({ pk: tenantKey, sk: keys.credential(credentialId) }),
          UpdateExpression: "ADD clusterCount :minusOne",
          ConditionExpression: "attribute_exists(pk) AND clusterCount > :zero",
          ExpressionAttributeValues: toItem({ ":minusOne": -1, ":zero": 0 }),
        },
      },
      { Put: { TableName: this.tableName, Item: auditItem(audit) } },
    ]);
    if (!reasons) return;
    if (conditionFailed(reasons, 0)) throw new NotFound("cluster association");
    throw new Error(`cluster dissociation cancelled: ${reasons.map((reason) => reason.Code).join(", ")}`);
  }

  async listAudit(tenant: string, query: PageQuery & { credentialId?: string }): Promise<Page<AuditEvent>> {
    const input: Omit<QueryCommandInput, "TableName"> = query.credentialId
      ? {
          IndexName: GSI1,
          KeyConditionExpression: "gsi1pk = :partition",
          ExpressionAttributeValues: toItem({
            ":partition": keys.auditByCredential(tenant, query.credentialId),
          }),
        }
      : {
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: toItem({ ":pk": keys.tenant(tenant), ":prefix": keys.auditPrefix }),
        };
    const expected: Record<string, string> = query.credentialId
      ? { pk: keys.tenant(tenant), gsi1pk: keys.auditByCredential(tenant, query.credentialId) }
      : { pk: keys.tenant(tenant) };
    const page = await queryPage(
      this.client,
      this.tableName,
      { ...input, ScanIndexForward: false },
      query,
      expected,
    );
    return { items: page.items.map(auditFromItem), nextCursor: page.nextCursor };
  }

  async recordValidation(
    credential: Credential,
    validation: ValidationResult,
    audit: AuditEvent,
  ): Promise<void> {
    const reasons = await transactWrite(this.client, [
      {
        Update: {
          TableName: this.tableName,
          Key: toItem({ pk: keys.tenant(credential.tenant), sk: keys.credential(credential.id) }),
          UpdateExpression: "SET validation = :validation, lastUsedAt = :checkedAt",
          ConditionExpression: "attribute_exists(pk) AND secretsRotatedAt = :rotatedAt",
          ExpressionAttributeValues: toItem({
            ":validation": validation,
            ":checkedAt": validation.checkedAt,
            ":rotatedAt": credential.secretsRotatedAt,
          }),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      { Put: { TableName: this.tableName, Item: auditItem(audit) } },
    ]);
    if (!reasons) return;
    if (conditionFailed(reasons, 0)) {
      if (!reasons[0]?.Item) throw new NotFound("credential");
      throw new ConcurrentModification();
    }
    throw new Error(`validation record cancelled: ${reasons.map((reason) => reason.Code).join(", ")}`);
  }

  async listInMode(mode: Mode): Promise<Array<{ tenant: string; id: string; provider: ProviderId }>> {
    const finops = mode === "finops";
    const items = await queryAll(this.client, this.tableName, {
      IndexName: finops ? GSI2_FINOPS : GSI3_INVENTORY,
      KeyConditionExpression: `${finops ? "gsi2pk" : "gsi3pk"} = :mode`,
      ExpressionAttributeValues: toItem({ ":mode": keys.modeIndex(mode) }),
      ProjectionExpression: "tenant, id, provider",
    });
    return items.map((item) => unmarshall(item) as { tenant: string; id: string; provider: ProviderId });
  }

  private async getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const reply = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: toItem({ pk, sk }), ConsistentRead: true }),
    );
    return reply.Item ? unmarshall(reply.Item) : undefined;
  }
}
