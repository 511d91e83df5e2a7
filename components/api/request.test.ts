import { describe, expect, it } from "vitest";
import { errorFromBody, queryString } from "./request";

describe("queryString", () => {
  it.each([
    [{}, ""],
    [{ page: 1, page_size: 20 }, "?page=1&page_size=20"],
    [{ type: null, resolved: false, q: "" }, "?resolved=false"],
    [{ resolved: true, job_id: undefined }, "?resolved=true"],
    [{ q: "ana & co" }, "?q=ana+%26+co"],
  ])("%j → %j", (params, expected) => {
    expect(queryString(params)).toBe(expected);
  });
});

describe("errorFromBody", () => {
  it("keeps the envelope's message, code, details and request id", () => {
    const body = JSON.stringify({
      error: { code: "CONFLICT", message: "Job 3 is COMPLETED", details: { status: "COMPLETED" }, request_id: "r-1" },
    });
    expect(errorFromBody(409, body)).toMatchObject({
      status: 409,
      code: "CONFLICT",
      message: "Job 3 is COMPLETED",
      details: { status: "COMPLETED" },
      requestId: "r-1",
    });
  });

  it.each([
    [403, "<html>nope</html>", "You are not allowed to do that"],
    [502, "", "The server could not do that (HTTP 502); try again later"],
    [409, "{}", "The request was refused (HTTP 409)"],
  ])("HTTP %i without an envelope says so in words", (status, body, message) => {
    expect(errorFromBody(status, body)).toMatchObject({ status, code: `HTTP_${status}`, message });
  });
});
