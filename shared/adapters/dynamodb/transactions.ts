import {
  type CancellationReason,
  type DynamoDBClient,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { ConcurrentModification } from "../../domain/errors";

const MAX_ATTEMPTS = 8;

function isConflict(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((reason) => reason.Code === "TransactionConflict");
  }
  return error instanceof Error && error.name === "TransactionConflictException";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a transaction; on a conflict with another transaction it retries with jittered backoff,
 * so the loser of a race sees the winner's write and fails its own condition cleanly.
 * Returns the cancellation reasons when a condition failed, or undefined on success.
 */
export async function transactWrite(
  client: DynamoDBClient,
  items: TransactWriteItem[],
): Promise<CancellationReason[] | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      if (isConflict(error)) {
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentModification();
        await sleep(Math.random() * 20 * 2 ** Math.min(attempt, 5));
        continue;
      }
      if (error instanceof TransactionCanceledException) return error.CancellationReasons ?? [];
      throw error;
    }
  }
}

export function conditionFailed(reasons: CancellationReason[], index: number): boolean {
  return reasons[index]?.Code === "ConditionalCheckFailed";
}
