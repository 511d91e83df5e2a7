import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { contracts } from "@/lib/api/contracts";
import { buildOpenApiDocument, openApiDocument } from "@/lib/api/openapi/document";
import { keyOf, NON_CONTRACT_ROUTES, servedRoutes } from "@/test/api-routes";

// next-auth does not load outside Next's bundler; the Auth.js route is imported only to list what it exports.
vi.mock("@/lib/auth/nextauth", () => ({ handlers: { GET: vi.fn(), POST: vi.fn() } }));

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  "x-required-group"?: string;
  "x-platform-admin"?: boolean;
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { format?: string }> } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};

const document = openApiDocument() as unknown as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};
const operation = (method: string, path: string): Operation => {
  const found = document.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
};
const documented = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
);

async function validate(candidate: unknown) {
  const validator = new Validator();
  // The validator resolves references in place: it gets a copy.
  const result = await validator.validate(structuredClone(candidate) as Record<string, unknown>);
  return { ...result, version: validator.version, resolve: () => validator.resolveRefs() };
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document whose references all resolve", async () => {
    const result = await validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(result.version).toBe("3.1");
    expect(() => result.resolve()).not.toThrow();
  });

  it("fails the validator when broken (the check above can fail)", async () => {
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, object>> };
    broken.paths["/api/jobs"] = { get: { summary: "no responses", responses: "none" } };
    expect((await validate(broken)).valid).toBe(false);
  });

  it("describes every method of every route file under app/api, and nothing that is not served", async () => {
    const served = (await servedRoutes()).filter((key) => !NON_CONTRACT_ROUTES.has(key));
    expect(
      served.filter((key) => !documented.includes(key)),
      "route files the document does not describe",
    ).toEqual([]);
    expect(
      documented.filter((key) => !served.includes(key)),
      "operations no route file serves",
    ).toEqual([]);
    expect(documented.sort()).toEqual(contracts.map(keyOf).sort());
  });

  it("gives every operation a unique id", () => {
    const ids = documented.map((key) => {
      const [method = "", path = ""] = key.split(" ");
      return operation(method, path).operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(operation("POST", "/api/jobs/{job_id}/cancel").operationId).toBe("postJobsByJobIdCancel");
  });

  it("names the four credentials and the error envelope as components", () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      "accessToken",
      "apiKey",
      "cognitoIdToken",
      "sessionCookie",
    ]);
    expect(document.components.schemas).toHaveProperty("ErrorEnvelope");
  });

  it.each([
    { route: "GET /api/health", statuses: ["200", "500"] },
    { route: "GET /api/status", statuses: ["200", "401", "403", "429", "500", "503"] },
    { route: "GET /api/jobs/{job_id}", statuses: ["200", "400", "401", "403", "404", "429", "500", "503"] },
    {
      route: "POST /api/jobs",
      statuses: ["201", "400", "401", "403", "404", "409", "413", "415", "429", "500", "503"],
    },
    {
      route: "POST /api/jobs/upload",
      statuses: ["201", "400", "401", "403", "409", "413", "415", "429", "500", "503"],
    },
    {
      route: "DELETE /api/admin/tenants/{id}",
      statuses: ["202", "400", "401", "403", "404", "409", "429", "500", "503"],
    },
  ])("$route answers $statuses, every error as the envelope", ({ route, statuses }) => {
    const [method = "", path = ""] = route.split(" ");
    const { responses } = operation(method, path);
    expect(Object.keys(responses).sort()).toEqual(statuses);
    for (const status of statuses.filter((status) => Number(status) >= 400))
      expect(responses[status]?.content?.["application/json"]?.schema.$ref).toBe("#/components/schemas/ErrorEnvelope");
  });

  it.each([
    { route: "GET /api/jobs", headers: ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"] },
    { route: "GET /api/health", headers: [] },
    { route: "GET /api/metrics", headers: [] },
  ])(
    "$route documents the rate-limit headers $headers on every answer, and Retry-After on 429",
    ({ route, headers }) => {
      const [method = "", path = ""] = route.split(" ");
      const { responses } = operation(method, path) as unknown as {
        responses: Record<string, { headers?: Record<string, unknown> }>;
      };
      for (const [status, response] of Object.entries(responses)) {
        const expected = status === "429" ? [...headers, "Retry-After"] : headers;
        expect(Object.keys(response.headers ?? {}).sort(), status).toEqual([...expected].sort());
      }
    },
  );

  it.each([
    { route: "GET /api/health", security: [], group: undefined, platformAdmin: undefined },
    {
      route: "GET /api/status",
      security: [{}, { accessToken: [] }, { apiKey: [] }, { cognitoIdToken: [] }, { sessionCookie: [] }],
      group: undefined,
      platformAdmin: undefined,
    },
    {
      route: "POST /api/jobs/{job_id}/cancel",
      security: [{ accessToken: [] }, { apiKey: [] }, { cognitoIdToken: [] }, { sessionCookie: [] }],
      group: "editor",
      platformAdmin: undefined,
    },
    {
      route: "GET /api/admin/tenants",
      security: [{ accessToken: [] }, { cognitoIdToken: [] }, { sessionCookie: [] }],
      group: undefined,
      platformAdmin: true,
    },
  ])("$route: security, x-required-group and x-platform-admin", ({ route, security, group, platformAdmin }) => {
    const [method = "", path = ""] = route.split(" ");
    const described = operation(method, path);
    expect(described.security).toEqual(security);
    expect(described["x-required-group"]).toBe(group);
    expect(described["x-platform-admin"]).toBe(platformAdmin);
  });

  it("lists path and query parameters, and the JSON, multipart and CSV media types", () => {
    expect(operation("GET", "/api/jobs/{job_id}").parameters).toEqual([
      expect.objectContaining({ in: "path", name: "job_id", required: true }),
    ]);
    expect(operation("GET", "/api/jobs").parameters?.map((parameter) => parameter.name)).toEqual([
      "status",
      "page",
      "page_size",
    ]);
    expect(Object.keys(operation("POST", "/api/jobs").requestBody?.content ?? {})).toEqual(["application/json"]);
    const form = operation("POST", "/api/jobs/upload").requestBody?.content["multipart/form-data"]?.schema;
    expect(form?.properties?.file?.format).toBe("binary");
    expect(Object.keys(operation("GET", "/api/jobs/{job_id}/errors.csv").responses["200"]?.content ?? {})).toEqual([
      "text/csv",
    ]);
  });

  it("refuses a query that is not an object, an unknown error code, and two contracts for one route", () => {
    const [health] = contracts.filter((contract) => contract.path === "/api/health");
    if (!health) throw new Error("no health contract");
    expect(() => buildOpenApiDocument([{ ...health, errors: ["TEAPOT"] }])).toThrow(/unknown error code 'TEAPOT'/);
    expect(() => buildOpenApiDocument([health, health])).toThrow(/Two contracts for GET \/api\/health/);
    expect(() => buildOpenApiDocument([{ ...health, query: z.string() }])).toThrow(/must be z.object/);
  });
});
