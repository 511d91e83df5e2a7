import type { z } from "zod";
import { isQueryCanceled } from "@/db/errors";
import { DomainError, RateLimitedError, type DomainErrorCode } from "@/lib/errors";

export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  BAD_REQUEST: 400,
  AUTHENTICATION_FAILED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  QUERY_TIMEOUT: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

// Every domain code has a status (a compile error here when lib/errors.ts gains a code).
const _everyDomainCodeHasAStatus: Record<DomainErrorCode, number> = ERROR_STATUS;

/** The HTTP layer's error: thrown by lib/api and handlers, rendered as the JSON envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details ?? null;
    this.headers = headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** A domain refusal as the API answers it; 401s carry the challenge HTTP requires, 429s when to retry. */
  static fromDomain(error: DomainError): ApiError {
    const headers: Record<string, string> =
      error.code === "AUTHENTICATION_FAILED"
        ? { "WWW-Authenticate": "Bearer" }
        : error instanceof RateLimitedError
          ? { "Retry-After": String(error.retryAfterSeconds) }
          : {};
    return new ApiError(error.code, error.message, error.details, headers);
  }

  /** The API error a thrown value stands for, or null for an unexpected failure (a 500). */
  static from(error: unknown): ApiError | null {
    if (error instanceof ApiError) return error;
    if (error instanceof DomainError) return ApiError.fromDomain(error);
    if (isQueryCanceled(error)) return ApiError.queryTimeout();
    return null;
  }

  /**
   * Postgres stopped one of the request's statements: it ran past the request timeout (or the client
   * left, and then nobody reads this). The server is fine; the request asked for too much at once.
   */
  static queryTimeout(): ApiError {
    return new ApiError(
      "QUERY_TIMEOUT",
      "The request took too long: the database stopped it. Try again, or ask for less at once (a narrower search or a smaller page)",
    );
  }

  static validation(location: string, error: z.ZodError): ApiError {
    const fields = error.issues.map((issue) => ({
      field: [location, ...issue.path.map(String)].join("."),
      reason: issue.message,
    }));
    const first = fields[0];
    const message = first ? `Invalid ${first.field}: ${first.reason}` : `Invalid ${location}`;
    return new ApiError("VALIDATION_ERROR", message, { fields });
  }
}

export type ErrorEnvelope = {
  error: { code: ErrorCode; message: string; details: unknown; request_id: string; timestamp: string };
};

export function errorEnvelope(error: ApiError, requestId: string): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      details: error.details,
      request_id: requestId,
      timestamp: new Date().toISOString(),
    },
  };
}

export function errorResponse(error: ApiError, requestId: string): Response {
  return Response.json(errorEnvelope(error, requestId), {
    status: error.status,
    headers: { ...error.headers, "X-Request-Id": requestId, "Cache-Control": "no-store" },
  });
}
