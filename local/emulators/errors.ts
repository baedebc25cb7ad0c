/** A start-up problem a person can fix (Java missing, a busy port): shown as one line, no stack. */
export class EmulatorError extends Error {
  override name = "EmulatorError";
}
