import type { CheckOutcome } from "../../domain/credentials/model";
import type { ProviderEnvironment } from "../environment";
import { Unreachable } from "../http/outbound";
import { CleverCloudApiError, type CleverCloudAuth, CleverCloudClient } from "./client";

interface Self {
  id?: string;
  email?: string;
  name?: string;
}
interface Summary {
  organisations?: Array<{ id?: string; name?: string }>;
}

/** `GET /v2/self` (the check every official tool uses), then the organisations from `/v2/summary`. */
export async function checkCleverCloudIdentity(
  auth: CleverCloudAuth,
  environment: ProviderEnvironment,
): Promise<CheckOutcome> {
  const client = new CleverCloudClient(auth, environment);
  try {
    const self = await client.get<Self>("/v2/self");
    const summary = await client.get<Summary>("/v2/summary");
    const organisationIds = (summary.organisations ?? [])
      .map((organisation) => organisation.id)
      .filter((id): id is string => typeof id === "string" && id.startsWith("orga_"));
    return {
      status: "valid",
      identity: {
        userId: self.id ?? null,
        email: self.email ?? null,
        name: self.name ?? null,
        organisationIds,
      },
    };
  } catch (error) {
    if (error instanceof Unreachable) return { status: "unreachable", error: error.message };
    if (error instanceof CleverCloudApiError) {
      return { status: error.throttled ? "unreachable" : "invalid", error: error.message };
    }
    throw error;
  }
}
