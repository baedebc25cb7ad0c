/**
 * Typed domain errors. The HTTP layer maps each to one problem+json answer in one place
 * (shared/http/problem.ts); nothing below the HTTP layer knows about status codes.
 */
export class DomainError extends Error {
  override name = this.constructor.name;
}

export interface FieldProblem {
  path: string;
  message: string;
}

export class InvalidInput extends DomainError {
  constructor(
    readonly fieldProblems: FieldProblem[],
    message = "the request is not valid",
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(readonly what: string) {
    super(`${what} was not found`);
  }
}

export class NameTaken extends DomainError {
  constructor(readonly credentialName: string) {
    super(
      `a credential named "${credentialName}" already exists (names are unique per tenant, case-insensitively)`,
    );
  }
}

export class InUse extends DomainError {
  constructor(readonly clusterIds: string[]) {
    super(`the credential is still used by ${clusterIds.length} cluster(s): dissociate them first`);
  }
}

export class VersionMismatch extends DomainError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number | undefined,
  ) {
    super(
      currentVersion === undefined
        ? `version ${expectedVersion} is stale`
        : `version ${expectedVersion} is stale: the credential is at version ${currentVersion}; fetch it again and retry`,
    );
  }
}

export class IdempotencyKeyReused extends DomainError {
  constructor() {
    super("this Idempotency-Key was already used with a different request body");
  }
}

/** A sealed secret that does not open: tampered, or copied from another credential. */
export class SecretsUndecryptable extends DomainError {
  constructor(readonly credentialId: string) {
    super(
      `the stored secrets of credential ${credentialId} cannot be decrypted: they were not sealed for this tenant and credential, or they were altered`,
    );
  }
}

/** Too many concurrent writers on one item; the caller may retry. */
export class ConcurrentModification extends DomainError {
  constructor() {
    super("the credential is being modified by another request; retry");
  }
}

/** The provider answered, and said no (a wrong consumer key or secret, a refused verifier). */
export class ProviderRefused extends DomainError {}

/** The provider could not be reached (refused, timed out, throttled past the retry budget). */
export class ProviderUnreachable extends DomainError {}

/** The OAuth callback does not belong to the pending connection it names. */
export class ConnectTokenMismatch extends DomainError {
  constructor() {
    super("the oauth_token in the callback does not match the pending connection");
  }
}
