import { describe, expect, it } from "vitest";
import { z } from "zod";
import { anyString, matching } from "@/test/http";
import { ApiError, ERROR_STATUS, errorEnvelope, errorResponse, type ErrorCode } from "@/lib/api/errors";
import { DomainError, invalidField, type DomainErrorCode } from "@/lib/errors";

describe("ApiError status mapping", () => {
  it.each<[ErrorCode, number]>([
    ["VALIDATION_ERROR", 400],
    ["BAD_REQUEST", 400],
    ["AUTHENTICATION_FAILED", 401],
    ["FORBIDDEN", 403],
    ["NOT_FOUND", 404],
    ["METHOD_NOT_ALLOWED", 405],
    ["CONFLICT", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["UNSUPPORTED_MEDIA_TYPE", 415],
    ["RATE_LIMIT_EXCEEDED", 429],
    ["INTERNAL_ERROR", 500],
    ["SERVICE_UNAVAILABLE", 503],
    ["QUERY_TIMEOUT", 503],
  ])("%s → %i", async (code, status) => {
    const error = new ApiError(code, "message");
    expect(error.status).toBe(status);
    const response = errorResponse(error, "req-1");
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it("covers every code", () => {
    expect(Object.keys(ERROR_STATUS)).toHaveLength(13);
  });
});

describe("error envelope", () => {
  it("has code, message, details, request_id and timestamp", () => {
    const before = Date.now();
    const envelope = errorEnvelope(new ApiError("CONFLICT", "Already imported", { job_id: 7 }), "req-42");
    expect(Object.keys(envelope)).toEqual(["error"]);
    expect(envelope.error).toEqual({
      code: "CONFLICT",
      message: "Already imported",
      details: { job_id: 7 },
      request_id: "req-42",
      timestamp: matching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const at = Date.parse(envelope.error.timestamp);
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("uses null details when none are given", () => {
    expect(errorEnvelope(new ApiError("NOT_FOUND", "No such job"), "r").error.details).toBeNull();
  });

  it("responds with the envelope, the request id, no-store and the error's own headers", async () => {
    const error = new ApiError("AUTHENTICATION_FAILED", "Bad token", null, { "WWW-Authenticate": "Bearer" });
    const response = errorResponse(error, "req-7");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-request-id")).toBe("req-7");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      code: "AUTHENTICATION_FAILED",
      message: "Bad token",
      details: null,
      request_id: "req-7",
    });
  });

  it("is an Error with its name and message", () => {
    const error = new ApiError("FORBIDDEN", "Nope");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ApiError");
    expect(error.message).toBe("Nope");
    expect(error.headers).toEqual({});
  });
});

describe("ApiError.validation", () => {
  const schema = z.object({
    email: z.email(),
    age: z.number().int(),
    address: z.object({ city: z.string().min(1) }),
    tags: z.array(z.string()),
  });

  it("lists every failing field with its location", () => {
    const parsed = schema.safeParse({ email: "nope", age: 1.5, address: { city: "" }, tags: ["ok", 3] });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const error = ApiError.validation("body", parsed.error);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.status).toBe(400);
    const details = error.details as { fields: { field: string; reason: string }[] };
    expect(details.fields.map((f) => f.field)).toEqual(["body.email", "body.age", "body.address.city", "body.tags.1"]);
    for (const field of details.fields) expect(field.reason.length).toBeGreaterThan(0);
    expect(error.message).toBe(`Invalid body.email: ${details.fields[0]?.reason}`);
  });

  it("names the location itself for a top-level problem", () => {
    const parsed = schema.safeParse("a string");
    if (parsed.success) throw new Error("expected failure");
    const error = ApiError.validation("query", parsed.error);
    const details = error.details as { fields: { field: string }[] };
    expect(details.fields).toEqual([{ field: "query", reason: anyString }]);
    expect(error.message).toMatch(/^Invalid query: /);
  });
});

describe("domain errors as the API answers them", () => {
  it.each<[DomainErrorCode, number]>([
    ["BAD_REQUEST", 400],
    ["VALIDATION_ERROR", 400],
    ["AUTHENTICATION_FAILED", 401],
    ["FORBIDDEN", 403],
    ["NOT_FOUND", 404],
    ["CONFLICT", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["UNSUPPORTED_MEDIA_TYPE", 415],
    ["SERVICE_UNAVAILABLE", 503],
  ])("%s → %i, with its message and details", async (code, status) => {
    const response = errorResponse(
      ApiError.fromDomain(new DomainError(code, "Job 7 is PROCESSING", { job_id: 7 })),
      "req-2",
    );
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({
      code,
      message: "Job 7 is PROCESSING",
      details: { job_id: 7 },
    });
    expect(response.headers.get("www-authenticate")).toBe(code === "AUTHENTICATION_FAILED" ? "Bearer" : null);
  });

  it.each([
    ["an ApiError", new ApiError("CONFLICT", "taken"), "CONFLICT"],
    ["a DomainError", invalidField("body.resolved_by", "no such member"), "VALIDATION_ERROR"],
    [
      "a statement Postgres stopped (57014), as drizzle wraps it",
      new Error("Failed query", { cause: Object.assign(new Error("canceling statement"), { code: "57014" }) }),
      "QUERY_TIMEOUT",
    ],
    ["another database error", Object.assign(new Error("deadlock detected"), { code: "40P01" }), null],
    ["any other error", new Error("socket hang up"), null],
    ["a thrown string", "boom", null],
  ])("ApiError.from(%s)", (_label, thrown, code) => {
    expect(ApiError.from(thrown)?.code ?? null).toBe(code);
  });

  it("answers a stopped statement with 503 QUERY_TIMEOUT saying the request took too long", async () => {
    const stopped = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
    const known = ApiError.from(new Error("Failed query: select …", { cause: stopped }));
    if (!known) throw new Error("a stopped statement was not recognised");
    const response = errorResponse(known, "req-3");
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({
      code: "QUERY_TIMEOUT",
      message: matching(/^The request took too long/),
      details: null,
      request_id: "req-3",
    });
  });

  it("keeps a field's name and reason for forms and clients", () => {
    expect(invalidField("body.resolved_by", "no such member")).toMatchObject({
      message: "Invalid body.resolved_by: no such member",
      details: { fields: [{ field: "body.resolved_by", reason: "no such member" }] },
    });
  });
});
