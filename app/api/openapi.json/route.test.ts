import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { openApiDocument } from "@/lib/api/openapi/document";
import { call } from "@/test/http";

describe("GET /api/openapi.json", () => {
  it.each([
    { caller: "without credentials", bearer: undefined },
    // A public route does not look at credentials, so a bad token is no reason to refuse the document.
    { caller: "with a token that is not valid", bearer: "not-a-token" },
  ])("serves the generated document $caller, cacheable for a few minutes", async ({ bearer }) => {
    const response = await call(GET, "/api/openapi.json", { bearer });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(response.json).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(response.json).toMatchObject({ openapi: "3.1.0", info: { title: "Intake API" } });
  });
});
