import { describe, expect, it } from "vitest";
import { isPreflight, preflightHeaders, responseHeaders } from "@/lib/security/cors";

const LISTED = ["https://app.example.com", "http://localhost:5173"];

describe("isPreflight", () => {
  it.each([
    { method: "OPTIONS", origin: "https://app.example.com", requestedMethod: "POST", preflight: true },
    { method: "OPTIONS", origin: null, requestedMethod: "POST", preflight: false },
    { method: "OPTIONS", origin: "https://app.example.com", requestedMethod: null, preflight: false },
    { method: "POST", origin: "https://app.example.com", requestedMethod: "POST", preflight: false },
  ])("$method from $origin asking $requestedMethod: $preflight", ({ preflight, ...request }) => {
    expect(isPreflight(request)).toBe(preflight);
  });
});

describe("preflightHeaders", () => {
  it("answers a listed origin with its origin, the methods, the headers a bearer client sends and a max-age", () => {
    expect(preflightHeaders("http://localhost:5173", LISTED)).toEqual({
      "Access-Control-Allow-Origin": "http://localhost:5173",
      "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE",
      "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Request-Id",
      "Access-Control-Expose-Headers": "X-Request-Id, Content-Disposition",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    });
  });

  it.each([
    { origin: "https://evil.example", allowed: LISTED, headers: { Vary: "Origin" } },
    { origin: "https://app.example.com.evil.example", allowed: LISTED, headers: { Vary: "Origin" } },
    { origin: "null", allowed: LISTED, headers: { Vary: "Origin" } },
    { origin: "https://app.example.com", allowed: [], headers: {} },
  ])("gives $origin no CORS headers when the list is $allowed", ({ origin, allowed, headers }) => {
    expect(preflightHeaders(origin, allowed)).toEqual(headers);
  });
});

describe("responseHeaders", () => {
  it.each([
    {
      origin: "https://app.example.com",
      headers: {
        "Access-Control-Allow-Origin": "https://app.example.com",
        "Access-Control-Expose-Headers": "X-Request-Id, Content-Disposition",
        Vary: "Origin",
      },
    },
    { origin: "https://evil.example", headers: { Vary: "Origin" } },
    { origin: null, headers: { Vary: "Origin" } },
  ])("for $origin: $headers (never credentials)", ({ origin, headers }) => {
    const result = responseHeaders(origin, LISTED);
    expect(result).toEqual(headers);
    expect(result).not.toHaveProperty("Access-Control-Allow-Credentials");
  });
});
