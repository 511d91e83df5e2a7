import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { GET as unknownGet, POST as unknownPost, DELETE as unknownDelete } from "@/app/api/[...path]/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/auth/me/route";
import { GET as health } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/ready/route";
import { GET as status } from "@/app/api/status/route";
import journal from "@/db/migrations/meta/_journal.json";
import { rowsOf } from "@/db/rows";
import type { Company } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { defineContract } from "@/lib/api/contract";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { contextFromSession } from "@/lib/auth/session-context";
import packageJson from "@/package.json";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, type TestUser } from "@/test/fixtures";
import { anyNumber, anyString, call, expectEnvelope, matching } from "@/test/http";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

// Routes of the wrapper's own, for what no real route exercises yet (groups, path and query parsing).
const editorRoute = route(
  defineContract({
    method: "POST",
    path: "/api/test/jobs/{job_id}",
    summary: "test",
    tags: ["test"],
    auth: "required",
    group: "editor",
    params: z.object({ job_id: z.coerce.number().int().positive() }),
    query: z.object({ tag: z.union([z.string(), z.array(z.string())]).optional() }),
    body: z.object({ name: z.string().min(1) }),
    response: z.object({ job_id: z.number(), name: z.string(), tag: z.unknown(), company_id: z.string() }),
    status: 201,
  }),
  ({ params, query, body, ctx }) => ({
    job_id: params.job_id,
    name: body.name,
    tag: query.tag ?? null,
    company_id: ctx.companyId,
  }),
);

const driftingRoute = route(
  defineContract({
    method: "GET",
    path: "/api/test/drift",
    summary: "test",
    tags: ["test"],
    auth: "public",
    response: z.object({ ok: z.literal(true) }),
  }),
  () => ({ ok: false }) as unknown as { ok: true },
);

const rawRoute = route(
  defineContract({
    method: "GET",
    path: "/api/test/raw",
    summary: "test",
    tags: ["test"],
    auth: "public",
    response: z.unknown(),
  }),
  () => new Response("plain text", { status: 202, headers: { "content-type": "text/plain" } }),
);

const optionalEditorRoute = route(
  defineContract({
    method: "GET",
    path: "/api/test/optional-editor",
    summary: "test",
    tags: ["test"],
    auth: "optional",
    group: "editor",
    response: z.object({ ok: z.literal(true) }),
  }),
  () => ({ ok: true as const }),
);

describeEachBackend("API route wrapper", (database) => {
  let company: Company;
  let user: TestUser;
  let accessToken: string;

  beforeAll(async () => {
    company = await createCompany(database.db, "Wrapper Co");
    user = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const result = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
    expect(result.status).toBe(200);
    accessToken = result.json.access_token as string;
  });

  describe("service endpoints", () => {
    it("/api/health answers without touching credentials", async () => {
      const result = await call(health, "/api/health", { bearer: "garbage" });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({ status: "ok", timestamp: matching(ISO), uptime_seconds: anyNumber });
      expect(result.headers.get("cache-control")).toBe("no-store");
    });

    it("/api/ready reports the driver and that every migration is applied", async () => {
      const result = await call(ready, "/api/ready");
      expect(result.status).toBe(200);
      expect(journal.entries.length).toBeGreaterThan(0);
      expect(result.json).toEqual({
        status: "ready",
        timestamp: matching(ISO),
        checks: {
          database: { status: "ok", driver: database.kind, latency_ms: anyNumber },
          migrations: { status: "ok", applied: journal.entries.length, expected: journal.entries.length },
        },
      });
    });

    it("/api/ready answers 503 when migrations are missing", async () => {
      const saved = rowsOf<{ hash: string; created_at: string }>(
        await database.db.execute(sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations`),
      );
      expect(saved).toHaveLength(journal.entries.length);
      await database.db.execute(sql`delete from drizzle.__drizzle_migrations`);
      try {
        const result = await call(ready, "/api/ready");
        const error = expectEnvelope(result, 503, "SERVICE_UNAVAILABLE");
        expect(error.message).toBe("Database migrations are not current");
        expect(error.details).toEqual({ migrations: { applied: 0, expected: journal.entries.length } });
      } finally {
        for (const row of saved) {
          await database.db.execute(
            sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${row.hash}, ${row.created_at}::bigint)`,
          );
        }
      }
      expect((await call(ready, "/api/ready")).status).toBe(200);
    });

    it("/api/status without credentials", async () => {
      const result = await call(status, "/api/status");
      expect(result.status).toBe(200);
      expect(result.json).toEqual({
        status: "ok",
        service: "intake",
        version: packageJson.version,
        environment: "test",
        timestamp: matching(ISO),
        authenticated: false,
        user: null,
        company: null,
      });
    });

    it("/api/status with an access token names the caller and company", async () => {
      const result = await call(status, "/api/status", { bearer: accessToken });
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({
        authenticated: true,
        user: user.email,
        company: { id: company.id, name: "Wrapper Co" },
      });
    });

    it("/api/status with an API key names the key", async () => {
      const { key } = await createApiKey({ companyId: company.id, name: "status probe", groups: ["viewer"] });
      const result = await call(status, "/api/status", { bearer: key });
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ authenticated: true, user: "status probe", company: { id: company.id } });
    });

    it("/api/status with bad credentials is a 401, not anonymous", async () => {
      const result = await call(status, "/api/status", { bearer: "garbage" });
      expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
    });
  });

  describe("request ids", () => {
    it("echoes a given X-Request-Id on success", async () => {
      const result = await call(health, "/api/health", { headers: { "X-Request-Id": "client-req.42:a_b-c" } });
      expect(result.status).toBe(200);
      expect(result.headers.get("x-request-id")).toBe("client-req.42:a_b-c");
    });

    it("echoes a given X-Request-Id in the error envelope", async () => {
      const result = await call(me, "/api/auth/me", { headers: { "X-Request-Id": "trace-123" } });
      const error = expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
      expect(error.request_id).toBe("trace-123");
    });

    it("generates one when none is given, the same in header and envelope", async () => {
      const result = await call(me, "/api/auth/me");
      const error = expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
      expect(error.request_id).toMatch(UUID);
      const again = await call(me, "/api/auth/me");
      expect(expectEnvelope(again, 401, "AUTHENTICATION_FAILED").request_id).not.toBe(error.request_id);
    });

    it.each([
      ["with spaces", "has spaces in it"],
      ["too long", "x".repeat(129)],
      ["with a slash", "a/b"],
    ])("replaces an id %s with a generated one", async (_label, id) => {
      const result = await call(health, "/api/health", { headers: { "X-Request-Id": id } });
      expect(result.headers.get("x-request-id")).toMatch(UUID);
    });
  });

  describe("authentication", () => {
    it("a required route without credentials is a 401 asking for a bearer token", async () => {
      const result = await call(me, "/api/auth/me");
      const error = expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
      expect(error.details).toBeNull();
      expect(error.message).toMatch(/Authentication required/);
      expect(result.headers.get("www-authenticate")).toBe("Bearer");
      expect(result.headers.get("cache-control")).toBe("no-store");
    });

    it("falls back to the browser session when no Authorization header is sent", async () => {
      vi.mocked(contextFromSession).mockResolvedValueOnce({
        method: "session",
        companyId: company.id,
        companyName: company.name,
        companySlug: company.slug,
        groups: ["viewer"],
        user: { id: user.id, email: user.email, name: user.name, isPlatformAdmin: false },
        apiKey: null,
      });
      const result = await call(me, "/api/auth/me");
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ auth_method: "session", company: { id: company.id }, user: { id: user.id } });
    });

    it("does not consult the session when an Authorization header is sent", async () => {
      vi.mocked(contextFromSession).mockClear();
      const result = await call(me, "/api/auth/me", { bearer: accessToken });
      expect(result.status).toBe(200);
      expect(contextFromSession).not.toHaveBeenCalled();
    });

    it("an ApiError thrown while authenticating keeps its status", async () => {
      vi.mocked(contextFromSession).mockRejectedValueOnce(new ApiError("FORBIDDEN", "Not a member of any company"));
      const error = expectEnvelope(await call(me, "/api/auth/me"), 403, "FORBIDDEN");
      expect(error.message).toBe("Not a member of any company");
    });

    it("any other error is a 500 that does not leak its message", async () => {
      vi.mocked(contextFromSession).mockRejectedValueOnce(new Error("connection string postgres://secret@db"));
      const result = await call(me, "/api/auth/me", { headers: { "X-Request-Id": "boom-1" } });
      const error = expectEnvelope(result, 500, "INTERNAL_ERROR");
      expect(error.request_id).toBe("boom-1");
      expect(JSON.stringify(result.json)).not.toContain("secret");
    });
  });

  describe("JSON bodies", () => {
    it("invalid JSON → 400", async () => {
      const error = expectEnvelope(
        await call(login, "/api/auth/login", { body: "{not json" }),
        400,
        "VALIDATION_ERROR",
      );
      expect(error.message).toBe("The request body is not valid JSON");
    });

    it("an empty body → 400", async () => {
      const error = expectEnvelope(await call(login, "/api/auth/login", { body: "   " }), 400, "VALIDATION_ERROR");
      expect(error.message).toMatch(/empty/);
    });

    it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
      "Content-Type %s → 415",
      async (type) => {
        const result = await call(login, "/api/auth/login", {
          body: JSON.stringify({ email: user.email, password: user.password }),
          headers: { "content-type": type },
        });
        expectEnvelope(result, 415, "UNSUPPORTED_MEDIA_TYPE");
      },
    );

    it("accepts a +json media type with a charset", async () => {
      const result = await call(login, "/api/auth/login", {
        body: JSON.stringify({ email: user.email, password: user.password }),
        headers: { "content-type": "application/vnd.api+json; charset=utf-8" },
      });
      expect(result.status).toBe(200);
    });

    it("a body the client aborts halfway → 400, not a server error", async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"email": "'));
          controller.error(new Error("aborted"));
        },
      });
      const request = new NextRequest("http://localhost/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      });
      const response = await login(request, { params: Promise.resolve({}) });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/aborted/);
    });

    it("a body over 1 MiB → 413", async () => {
      const body = JSON.stringify({ email: user.email, password: "x".repeat(1024 * 1024) });
      expectEnvelope(await call(login, "/api/auth/login", { body }), 413, "PAYLOAD_TOO_LARGE");
    });

    it("a validation error lists every failing field", async () => {
      const result = await call(login, "/api/auth/login", { body: { email: "not-an-email", company_id: "nope" } });
      const error = expectEnvelope(result, 400, "VALIDATION_ERROR");
      const fields = (error.details as { fields: { field: string; reason: string }[] }).fields;
      expect(fields.map((f) => f.field).sort()).toEqual(["body.company_id", "body.email", "body.password"]);
      expect(error.message).toMatch(/^Invalid body\.(email|password|company_id): /);
    });

    it("a JSON array is not an object", async () => {
      const result = await call(login, "/api/auth/login", { body: [1, 2] });
      const error = expectEnvelope(result, 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [{ field: "body", reason: anyString }] });
    });
  });

  describe("contracts", () => {
    const keyWith = async (groups: ("admin" | "editor" | "uploader" | "viewer")[]) =>
      (await createApiKey({ companyId: company.id, name: `key ${groups.join(",")}`, groups })).key;

    it("parses path, query and body and answers with the contract's status", async () => {
      const result = await call(editorRoute, "/api/test/jobs/7?tag=a&tag=b", {
        bearer: await keyWith(["editor"]),
        body: { name: "list.csv" },
        params: { job_id: "7" },
      });
      expect(result.status).toBe(201);
      expect(result.json).toEqual({ job_id: 7, name: "list.csv", tag: ["a", "b"], company_id: company.id });
    });

    it("a single query value stays a string", async () => {
      const result = await call(editorRoute, "/api/test/jobs/7?tag=a", {
        bearer: await keyWith(["admin"]),
        body: { name: "x" },
        params: { job_id: "7" },
      });
      expect(result.status).toBe(201);
      expect(result.json.tag).toBe("a");
    });

    it("a caller without the group → 403 naming the group needed and the groups held", async () => {
      const result = await call(editorRoute, "/api/test/jobs/7", {
        bearer: await keyWith(["viewer", "uploader"]),
        body: { name: "x" },
        params: { job_id: "7" },
      });
      const error = expectEnvelope(result, 403, "FORBIDDEN");
      expect(error.details).toEqual({ required_group: "editor", your_groups: ["viewer", "uploader"] });
      expect(error.message).toBe("This action needs the 'editor' group");
    });

    it("a bad path parameter → 400 naming path.<name>", async () => {
      const result = await call(editorRoute, "/api/test/jobs/abc", {
        bearer: await keyWith(["editor"]),
        body: { name: "x" },
        params: { job_id: "abc" },
      });
      const error = expectEnvelope(result, 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [{ field: "path.job_id", reason: anyString }] });
    });

    it("a response that drifts from its contract is a 500 outside production", async () => {
      expectEnvelope(await call(driftingRoute, "/api/test/drift"), 500, "INTERNAL_ERROR");
    });

    it("a Response from the handler is passed through, with the request id added", async () => {
      const response = await rawRoute(
        new NextRequest("http://localhost/api/test/raw", { headers: { "x-request-id": "raw-1" } }),
        {
          params: Promise.resolve({}),
        },
      );
      expect(response.status).toBe(202);
      expect(await response.text()).toBe("plain text");
      expect(response.headers.get("x-request-id")).toBe("raw-1");
    });

    it("an optional-auth route with a group serves a caller who has it", async () => {
      const result = await call(optionalEditorRoute, "/api/test/optional-editor", {
        bearer: await keyWith(["editor"]),
      });
      expect(result.status).toBe(200);
      const refused = await call(optionalEditorRoute, "/api/test/optional-editor", {
        bearer: await keyWith(["viewer"]),
      });
      expectEnvelope(refused, 403, "FORBIDDEN");
    });

    it("an optional-auth route with a group refuses an anonymous caller", async () => {
      const result = await call(optionalEditorRoute, "/api/test/optional-editor");
      expect([401, 403]).toContain(result.status);
    });
  });

  describe("unknown routes", () => {
    it.each([
      ["GET", unknownGet, "/api/nope"],
      ["POST", unknownPost, "/api/jobs/1/explode"],
      ["DELETE", unknownDelete, "/api/v2/anything"],
    ] as const)("%s %s → 404 envelope", async (method, handler, path) => {
      const result = await call(handler, path, { method, headers: { "X-Request-Id": "nf-1" } });
      const error = expectEnvelope(result, 404, "NOT_FOUND");
      expect(error.message).toBe(`No API route matches ${method} ${path}`);
      expect(error.request_id).toBe("nf-1");
      expect(error.details).toBeNull();
    });

    it("generates a request id when none is given", async () => {
      const error = expectEnvelope(await call(unknownGet, "/api/nope"), 404, "NOT_FOUND");
      expect(error.request_id).toMatch(UUID);
    });

    it("treats a malformed X-Request-Id like the route wrapper does", async () => {
      const result = await call(unknownGet, "/api/nope", { headers: { "X-Request-Id": "x".repeat(500) } });
      expect(expectEnvelope(result, 404, "NOT_FOUND").request_id).toMatch(UUID);
    });
  });
});
