import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { FileProblem, ImportRun, ImportRunStatus } from "../../domain/billing/model";
import type { ImportRunStore } from "../../domain/billing/ports";
import type { Page, PageQuery } from "../../domain/ports";
import { toItem } from "./items";
import { keys } from "./keys";
import { queryNewestFirst } from "./query";

const MAX_PROBLEMS = 20;

function runFromItem(item: Record<string, unknown>): ImportRun {
  const { pk: _pk, sk: _sk, entity: _entity, ...run } = item;
  return run as unknown as ImportRun;
}

function finalStatus(run: ImportRun): ImportRunStatus {
  if (run.filesSeen > 0 && run.filesFailed === run.filesSeen) return "failed";
  return run.filesFailed > 0 || run.rowErrors > 0 ? "partial" : "succeeded";
}

/** Import runs: counters moved atomically by concurrent workers; the last one to finish closes the run. */
export class DynamoDbImportRuns implements ImportRunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  private key(tenant: string, id: string) {
    return toItem({ pk: keys.tenant(tenant), sk: keys.importRun(id) });
  }

  async create(run: ImportRun): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem({
          pk: keys.tenant(run.tenant),
          sk: keys.importRun(run.id),
          entity: "billing-import",
          ...run,
        }),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  async get(tenant: string, id: string): Promise<ImportRun | undefined> {
    const reply = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: this.key(tenant, id), ConsistentRead: true }),
    );
    return reply.Item ? runFromItem(unmarshall(reply.Item)) : undefined;
  }

  async list(tenant: string, page: PageQuery): Promise<Page<ImportRun>> {
    const result = await queryNewestFirst(
      this.client,
      this.tableName,
      keys.tenant(tenant),
      keys.importRunPrefix,
      page,
    );
    return {
      items: result.items.map((item) => runFromItem(unmarshall(item))),
      nextCursor: result.nextCursor,
    };
  }

  async addSeen(tenant: string, id: string, files: number, listingComplete: boolean): Promise<void> {
    const reply = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: this.key(tenant, id),
        UpdateExpression: listingComplete
          ? "ADD filesSeen :files SET listingComplete = :true"
          : "ADD filesSeen :files",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: toItem(
          listingComplete ? { ":files": files, ":true": true } : { ":files": files },
        ),
        ReturnValues: "ALL_NEW",
      }),
    );
    await this.closeIfDone(runFromItem(unmarshall(reply.Attributes!)));
  }

  async recordFile(
    tenant: string,
    id: string,
    outcome: "imported" | "skipped" | "failed",
    counts: { rows: number; rowErrors: number },
    problem?: FileProblem,
  ): Promise<void> {
    const counter = { imported: "filesImported", skipped: "filesSkipped", failed: "filesFailed" }[outcome];
    const update = async (withProblem: boolean) =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(tenant, id),
          UpdateExpression: `ADD ${counter} :one, rowsImported :rows, rowErrors :rowErrors${withProblem ? " SET problems = list_append(problems, :problem)" : ""}`,
          // A bounded sample of problems: the counters carry the totals.
          ConditionExpression: withProblem
            ? "attribute_exists(pk) AND size(problems) < :max"
            : "attribute_exists(pk)",
          ExpressionAttributeValues: toItem({
            ":one": 1,
            ":rows": counts.rows,
            ":rowErrors": counts.rowErrors,
            ...(withProblem ? { ":problem": [problem], ":max": MAX_PROBLEMS } : {}),
          }),
          ReturnValues: "ALL_NEW",
        }),
      );
    let reply: Awaited<ReturnType<typeof update>>;
    try {
      reply = await update(problem !== undefined);
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException" && problem))
        throw error;
      reply = await update(false);
    }
    await this.closeIfDone(runFromItem(unmarshall(reply.Attributes!)));
  }

  private async closeIfDone(run: ImportRun): Promise<void> {
    const done = run.filesImported + run.filesSkipped + run.filesFailed;
    if (run.status !== "running" || !run.listingComplete || done < run.filesSeen) return;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: this.key(run.tenant, run.id),
          UpdateExpression: "SET #status = :status, finishedAt = :now",
          ConditionExpression: "#status = :running",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: toItem({
            ":status": finalStatus(run),
            ":now": new Date().toISOString(),
            ":running": "running",
          }),
        }),
      );
    } catch (error) {
      // Another worker closed it first.
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    }
  }
}
