import type { InventoryResource } from "./resource";

/**
 * The port each provider implements for the inventory sweep. `collect` streams one type's
 * resources as the provider's pages arrive, so a sweep never holds a whole type in memory.
 *
 * Failures: a type that cannot be read throws ResourceTypeFailed (the sweep records it and goes on
 * with the other types); a refused credential throws CredentialRejected (the sweep stops the whole
 * credential and marks its validation invalid). Any other error is a bug.
 */
export interface InventoryCollector {
  readonly resourceTypes: readonly string[];
  collect(type: string): AsyncIterable<InventoryResource>;
}

/**
 * Why a type failed: `permission` (valid key, narrow policy or role), `throttled` (still refused
 * after the retry budget), `network`, `provider-error` (5xx or an answer we cannot use).
 */
export type TypeFailureReason = "permission" | "throttled" | "network" | "provider-error";

export class ResourceTypeFailed extends Error {
  override name = "ResourceTypeFailed";

  constructor(
    readonly type: string,
    readonly reason: TypeFailureReason,
    /** Worth trying again on the next sweep without anyone changing anything. */
    readonly retryable: boolean,
    /** What the provider said, for people. */
    readonly detail: string,
    /** Some resources of the type were yielded before the failure: the list is incomplete. */
    readonly partial = false,
  ) {
    super(`${type}: ${detail}`);
  }

  /** The same failure, noting that resources of the type were already handed out. */
  asPartial(): ResourceTypeFailed {
    return new ResourceTypeFailed(this.type, this.reason, this.retryable, this.detail, true);
  }
}

export class CredentialRejected extends Error {
  override name = "CredentialRejected";

  constructor(
    message: string,
    /** False for a temporary lock: stop this sweep, but the secret itself may be right. */
    readonly permanent = true,
  ) {
    super(message);
  }
}

/** A type name the collector does not serve: a caller bug, not a provider failure. */
export class UnknownResourceType extends Error {
  override name = "UnknownResourceType";

  constructor(readonly type: string) {
    super(`unknown inventory resource type: ${type}`);
  }
}
