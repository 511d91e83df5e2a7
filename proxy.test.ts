import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { config, proxy } from "@/proxy";

const SESSION = { cookie: "authjs.session-token=opaque" };

function request(
  path: string,
  { method = "GET", headers = {} }: { method?: string; headers?: Record<string, string> } = {},
) {
  return new NextRequest(`http://localhost:3000${path}`, { method, headers });
}

function configure(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  resetEnvForTests();
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("proxy: pages", () => {
  it("gives a page a policy with a fresh nonce, and hands the nonce and policy to Next's rendering", () => {
    const first = proxy(request("/jobs", { headers: SESSION }));
    const second = proxy(request("/jobs", { headers: SESSION }));
    const policy = first.headers.get("content-security-policy") ?? "";
    const nonce = first.headers.get("x-middleware-request-x-nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(second.headers.get("x-middleware-request-x-nonce")).not.toBe(nonce);
  });

  it.each(["/sign-in", "/sign-in?callbackUrl=%2Fjobs", "/invite/abc", "/docs"])(
    "leaves %s open to signed-out visitors, under the policy",
    (path) => {
      const response = proxy(request(path));
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    },
  );

  it.each([
    { path: "/", location: "http://localhost:3000/sign-in" },
    { path: "/jobs/7?tab=rows", location: "http://localhost:3000/sign-in?callbackUrl=%2Fjobs%2F7%3Ftab%3Drows" },
    // Only /docs itself is open, not every path that starts with the word.
    { path: "/docsearch", location: "http://localhost:3000/sign-in?callbackUrl=%2Fdocsearch" },
  ])("sends a signed-out visitor of $path to the sign-in page on APP_URL", ({ path, location }) => {
    const response = proxy(request(path, { headers: { "x-forwarded-host": "evil.example", host: "evil.example" } }));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe(location);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
  });

  it("builds the sign-in redirect from the configured APP_URL", () => {
    configure({ APP_URL: "https://intake.example.com" });
    const response = proxy(request("/contacts"));
    expect(response.headers.get("location")).toBe("https://intake.example.com/sign-in?callbackUrl=%2Fcontacts");
  });
});

describe("proxy: trailing slashes (the earlier API's collection paths)", () => {
  it.each([
    { path: "/api/projects/", to: "/api/projects" },
    { path: "/api/sessions/?cycle_id=3", to: "/api/sessions?cycle_id=3" },
    { path: "/api/projects/12/", to: "/api/projects/12" },
  ])("answers $path as $to, in place, under the API's policy", ({ path, to }) => {
    const response = proxy(request(path, { method: "POST" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    const rewritten = new URL(response.headers.get("x-middleware-rewrite") ?? "http://none");
    expect(`${rewritten.pathname}${rewritten.search}`).toBe(to);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it.each(["/api/jobs", "/api/"])("leaves %s as it is", (path) => {
    expect(proxy(request(path)).headers.get("x-middleware-rewrite")).toBeNull();
  });

  it("redirects a page to its address without the slash, on the configured APP_URL", () => {
    configure({ APP_URL: "https://intake.example.com" });
    const response = proxy(request("/jobs/?status=FAILED", { headers: SESSION }));
    expect(response.status).toBe(308);
    expect(response.headers.get("location")).toBe("https://intake.example.com/jobs?status=FAILED");
  });
});

describe("proxy: /api", () => {
  it("gives API responses a policy that loads nothing, and no CORS headers when no origin is configured", () => {
    const response = proxy(request("/api/jobs", { headers: { origin: "https://app.example.com" } }));
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("location")).toBeNull();
  });

  it.each([
    { origin: "https://app.example.com", allowed: true },
    { origin: "https://evil.example", allowed: false },
  ])("answers a preflight from $origin (listed: $allowed) with 204", ({ origin, allowed }) => {
    configure({ CORS_ORIGINS: "https://app.example.com,http://localhost:5173" });
    const response = proxy(
      request("/api/jobs/upload", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed ? origin : null);
    expect(response.headers.get("access-control-allow-headers")).toBe(
      allowed ? "Authorization, Content-Type, X-Request-Id" : null,
    );
    expect(response.headers.get("access-control-allow-methods")).toBe(allowed ? "GET, POST, PUT, PATCH, DELETE" : null);
    expect(response.headers.get("access-control-max-age")).toBe(allowed ? "600" : null);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it.each([
    { origin: "http://localhost:5173", allowOrigin: "http://localhost:5173" },
    { origin: "https://evil.example", allowOrigin: null },
  ])("lets an actual request from $origin through, allowing it: $allowOrigin", ({ origin, allowOrigin }) => {
    configure({ CORS_ORIGINS: "https://app.example.com,http://localhost:5173" });
    const response = proxy(request("/api/contacts", { headers: { origin, authorization: "Bearer k" } }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("access-control-allow-origin")).toBe(allowOrigin);
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
  });
});

describe("proxy: the app's address", () => {
  it.each(["/jobs", "/api/uploads"])(
    "%s: X-Forwarded-Host and -Proto downstream are APP_URL's, whatever the client sent",
    (path) => {
      const response = proxy(
        request(path, { headers: { ...SESSION, "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" } }),
      );
      expect(response.headers.get("x-middleware-request-x-forwarded-host")).toBe("localhost:3000");
      expect(response.headers.get("x-middleware-request-x-forwarded-proto")).toBe("http");
    },
  );

  it("behind a trusted proxy (TRUST_PROXY=true) the forwarded headers pass unchanged", () => {
    configure({ TRUST_PROXY: "true" });
    const response = proxy(request("/jobs", { headers: { ...SESSION, "x-forwarded-host": "intake.example.com" } }));
    expect(response.headers.get("x-middleware-request-x-forwarded-host")).toBe("intake.example.com");
  });
});

describe("proxy: which paths pass through it", () => {
  const [matcher = ""] = config.matcher;
  const matches = new RegExp(`^${matcher}$`);
  it.each([
    { path: "/", through: true },
    { path: "/jobs/7/review", through: true },
    { path: "/sign-in", through: true },
    { path: "/api/jobs/upload", through: true },
    { path: "/api/openapi.json", through: true },
    // Upload bodies of up to 1 GiB: Next would buffer (and cut at 10 MB) a body that passes through.
    { path: "/api/storage/uploads/c/k/contacts.csv", through: false },
    { path: "/_next/static/chunks/app.js", through: false },
    { path: "/favicon.ico", through: false },
  ])("$path: $through", ({ path, through }) => {
    expect(matches.test(path)).toBe(through);
  });
});
