import { describe, expect, it } from "vitest";
import { securityHeaders } from "@/lib/security/headers";

describe("securityHeaders", () => {
  it.each([
    { production: true, hsts: "max-age=63072000; includeSubDomains" },
    { production: false, hsts: undefined },
  ])("production $production: HSTS $hsts, and the fixed headers always", ({ production, hsts }) => {
    const headers = Object.fromEntries(securityHeaders(production).map(({ key, value }) => [key, value]));
    expect(headers).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": expect.stringContaining("camera=()") as unknown,
    });
    expect(headers["Strict-Transport-Security"]).toBe(hsts);
  });
});
