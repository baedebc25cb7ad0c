import type { CheckOutcome } from "../../domain/credentials/model";
import type { ProviderEnvironment } from "../environment";
import { Unreachable } from "../http/outbound";
import { OutscaleApiClient, type OutscaleKeys } from "./api-client";
import { OutscaleApiError } from "./errors";

interface ReadAccountsReply {
  Accounts?: Array<{ AccountId?: string; Email?: string; CompanyName?: string }>;
}
interface ReadAccessKeysReply {
  AccessKeys?: Array<{ AccessKeyId?: string; State?: string; ExpirationDate?: string }>;
}

export function outcomeOfError(error: unknown): CheckOutcome {
  if (error instanceof Unreachable) return { status: "unreachable", error: error.message };
  if (error instanceof OutscaleApiError) {
    return error.throttled
      ? { status: "unreachable", error: error.message }
      : { status: "invalid", error: error.message };
  }
  throw error;
}

/**
 * Who the key is: `ReadAccounts`, checked against the configured account id. A narrow sub-user
 * whose policy refuses ReadAccounts falls back to `ReadAccessKeys`, which proves the key works
 * but cannot confirm the account id.
 */
export async function checkOutscaleIdentity(
  keys: OutscaleKeys & { accountId: string },
  environment: ProviderEnvironment,
): Promise<CheckOutcome> {
  const client = new OutscaleApiClient(keys, environment);
  try {
    const reply = await client.call<ReadAccountsReply>("ReadAccounts");
    const account = reply.Accounts?.[0];
    if (account?.AccountId && account.AccountId !== keys.accountId) {
      return {
        status: "invalid",
        identity: { accountId: account.AccountId },
        error: `the key belongs to account ${account.AccountId}, not to the configured account ${keys.accountId}`,
      };
    }
    return {
      status: "valid",
      identity: { accountId: account?.AccountId ?? keys.accountId, email: account?.Email ?? null },
    };
  } catch (error) {
    if (!(error instanceof OutscaleApiError && error.notAuthorised)) return outcomeOfError(error);
  }
  try {
    const reply = await client.call<ReadAccessKeysReply>("ReadAccessKeys");
    const key =
      reply.AccessKeys?.find((candidate) => candidate.AccessKeyId === keys.accessKey) ??
      reply.AccessKeys?.[0];
    return {
      status: "valid",
      identity: {
        accountId: keys.accountId,
        accountIdVerified: false,
        accessKeyState: key?.State ?? null,
        expiresAt: key?.ExpirationDate ?? null,
      },
    };
  } catch (error) {
    if (error instanceof OutscaleApiError && error.notAuthorised) {
      // The signature was accepted: the key works, but nothing it may call tells who it is.
      return { status: "valid", identity: { accountId: keys.accountId, accountIdVerified: false } };
    }
    return outcomeOfError(error);
  }
}
