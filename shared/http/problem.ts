import {
  ConcurrentModification,
  ConnectTokenMismatch,
  DomainError,
  type FieldProblem,
  IdempotencyKeyReused,
  InUse,
  InvalidInput,
  NameTaken,
  NotFound,
  ProviderRefused,
  ProviderUnreachable,
  SecretsUndecryptable,
  VersionMismatch,
} from "../domain/errors";

/** An HTTP-level refusal (auth, content type, size, routing), raised by the HTTP layer itself. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldProblem[];
  requestId: string;
  [extra: string]: unknown;
}

const problem = (
  status: number,
  code: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
) => new HttpProblem(status, code, title, detail, extra);

/** The one place where domain errors become HTTP answers. */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof InvalidInput) {
    const fields = error.fieldProblems.map((field) => `${field.path}: ${field.message}`).join("; ");
    return problem(400, "validation_failed", "The request is not valid", fields || error.message, {
      errors: error.fieldProblems,
    });
  }
  if (error instanceof NotFound) return problem(404, "not_found", "Not found", error.message);
  if (error instanceof NameTaken)
    return problem(409, "credential_name_taken", "Name already used", error.message);
  if (error instanceof InUse) {
    return problem(409, "credential_in_use", "Credential in use", error.message, {
      clusters: error.clusterIds,
    });
  }
  if (error instanceof VersionMismatch) {
    return problem(412, "version_mismatch", "Version mismatch", error.message, {
      currentVersion: error.currentVersion ?? null,
    });
  }
  if (error instanceof IdempotencyKeyReused) {
    return problem(422, "idempotency_key_reused", "Idempotency key reused", error.message);
  }
  if (error instanceof ConcurrentModification) {
    return problem(409, "concurrent_modification", "Concurrent modification", error.message);
  }
  if (error instanceof SecretsUndecryptable) {
    return problem(500, "secrets_undecryptable", "Stored secrets cannot be decrypted", error.message);
  }
  if (error instanceof ProviderRefused)
    return problem(422, "provider_refused", "The provider said no", error.message);
  if (error instanceof ProviderUnreachable) {
    return problem(502, "provider_unreachable", "The provider could not be reached", error.message);
  }
  if (error instanceof ConnectTokenMismatch) {
    return problem(400, "connect_token_mismatch", "Callback does not match", error.message);
  }
  if (error instanceof DomainError) return problem(400, "bad_request", "Bad request", error.message);
  return problem(
    500,
    "internal_error",
    "Internal error",
    "an unexpected error occurred; quote the requestId",
  );
}

export function problemBody(error: HttpProblem, requestId: string): ProblemBody {
  return {
    type: `https://errors.credential-vault.dev/${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    detail: error.detail,
    ...error.extra,
    requestId,
  };
}
