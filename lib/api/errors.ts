import type { z } from "zod";

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
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type of the API: thrown anywhere below a handler, rendered as the JSON envelope. */
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
