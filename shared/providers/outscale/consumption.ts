import { Readable } from "node:stream";
import type { ConsumptionApi } from "../../domain/billing/ports";
import { ProviderRefused, ProviderUnreachable } from "../../domain/errors";
import type { ProviderEnvironment } from "../environment";
import { Unreachable } from "../http/outbound";
import { OutscaleApiClient, type OutscaleKeys } from "./api-client";
import { OutscaleApiError } from "./errors";

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * `ReadConsumptionAccount` for one day (FromDate included, ToDate excluded, prices and resource
 * details on), answered as the same JSON document a billing bucket would hold, so it goes through
 * the same parser, FOCUS mapping and aggregation as a file.
 */
export class OutscaleConsumptionApi implements ConsumptionApi {
  constructor(private readonly environment: ProviderEnvironment) {}

  async readDay(keys: OutscaleKeys, day: string): Promise<Readable> {
    let reply: Record<string, unknown>;
    try {
      reply = await new OutscaleApiClient(keys, this.environment).call("ReadConsumptionAccount", {
        FromDate: day,
        ToDate: nextDay(day),
        ShowPrice: true,
        ShowResourceDetails: true,
      });
    } catch (error) {
      if (error instanceof Unreachable)
        throw new ProviderUnreachable(`OUTSCALE could not be reached: ${error.reason}`);
      if (error instanceof OutscaleApiError) {
        throw error.throttled ? new ProviderUnreachable(error.message) : new ProviderRefused(error.message);
      }
      throw error;
    }
    return Readable.from([
      JSON.stringify({ ConsumptionEntries: reply.ConsumptionEntries ?? [], Currency: reply.Currency }),
    ]);
  }
}
