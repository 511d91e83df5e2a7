/**
 * What the domain refuses, by kind. Domain code (lib/ outside lib/api) throws DomainError with one of
 * these codes; lib/api alone turns a code into an HTTP status and the error envelope.
 */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION_ERROR"
  | "AUTHENTICATION_FAILED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMIT_EXCEEDED"
  | "SERVICE_UNAVAILABLE";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Facts a client can act on (ids, statuses, `fields: [{ field, reason }]`); part of the API's error body. */
  readonly details: unknown;

  constructor(code: DomainErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details ?? null;
  }
}

/** Too many attempts: refused until `retryAfterSeconds` have passed (the API's Retry-After). */
export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super("RATE_LIMIT_EXCEEDED", message, { retry_after_seconds: retryAfterSeconds });
    this.name = "RateLimitedError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** One field of the input refused, named as the client sent it (e.g. `body.resolved_by`). */
export function invalidField(field: string, reason: string): DomainError {
  return new DomainError("VALIDATION_ERROR", `Invalid ${field}: ${reason}`, { fields: [{ field, reason }] });
}
