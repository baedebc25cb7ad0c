/** OUTSCALE's error body: `{ Errors: [{ Code, Type, Details }], ResponseContext: { RequestId } }`. */
export interface OutscaleErrorBody {
  Errors?: Array<{ Code?: string; Type?: string; Details?: string }>;
  ResponseContext?: { RequestId?: string };
}

export class OutscaleApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string | undefined,
    readonly type: string | undefined,
    readonly requestId: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** Valid key, narrow policy: codes 4, 5 and 7. */
  get notAuthorised(): boolean {
    return this.code === "4" || this.code === "5" || this.code === "7";
  }

  get throttled(): boolean {
    return (
      this.httpStatus === 429 ||
      this.httpStatus === 503 ||
      this.code === "6" ||
      this.code === "24" ||
      this.code === "25"
    );
  }
}

/** A message a person can act on, from OUTSCALE's error code (see providers.md). */
export function explainOutscaleError(
  httpStatus: number,
  body: OutscaleErrorBody,
  region: string,
): OutscaleApiError {
  const first = body.Errors?.[0];
  const code = first?.Code;
  const requestId = body.ResponseContext?.RequestId;
  const explained: Record<string, string> = {
    "1": `authentication failed: wrong access key or secret key, or the key belongs to another region than ${region}`,
    "4": "the key is valid but its policy does not allow this call",
    "5": "the key is valid but its policy does not allow this call",
    "7": "the key is valid but its policy does not allow this call",
    "6": "OUTSCALE is throttling requests (platform); try again later",
    "11": "the access key is permanently locked",
    "13": "the access key is temporarily locked after repeated bad signatures; wait a few minutes",
    "14": "the key's access rules refuse this caller (IP or certificate rule mismatch)",
    "24": "too many requests for this account; try again later",
    "25": "too many requests for this call; try again later",
  };
  const message =
    (code && explained[code]) ??
    `OUTSCALE answered HTTP ${httpStatus}${code ? ` with error code ${code}` : ""}${first?.Type ? ` (${first.Type})` : ""}`;
  return new OutscaleApiError(httpStatus, code, first?.Type, requestId, message);
}
