import { DomainError } from "../errors";

/**
 * A billing object that cannot be read at all (corrupt gzip, binary content, neither CSV nor JSON,
 * a CSV without the required columns). The import records the reason and skips the object; a
 * single bad row is a RowProblem instead, and never stops the file.
 */
export class UnreadableBillingFile extends DomainError {
  constructor(readonly reason: string) {
    super(`the billing file cannot be read: ${reason}`);
  }
}
