import { expect, test } from "./fixtures/test";
import { E2E_ADMIN } from "../playwright.config";

test("login returns a token that /api/auth/me accepts", async ({ request }) => {
  const login = await request.post("/api/auth/login", {
    data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password },
  });
  expect(login.status()).toBe(200);
  const tokens = (await login.json()) as {
    access_token: string;
    refresh_token: string;
    token_type: string;
    expires_in: number;
  };
  expect(tokens.token_type).toBe("bearer");
  expect(tokens.expires_in).toBeGreaterThan(0);

  const me = await request.get("/api/auth/me", { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(me.status()).toBe(200);
  const body = (await me.json()) as { user: { email: string }; groups: string[]; company: { name: string } };
  expect(body.user.email).toBe(E2E_ADMIN.email);
  expect(body.groups).toEqual(["admin"]);
  expect(body.company.name).toBe("Demo Company");
});

test("failures come back in the error envelope", async ({ request }) => {
  const wrong = await request.post("/api/auth/login", { data: { email: E2E_ADMIN.email, password: "nope-nope" } });
  expect(wrong.status()).toBe(401);
  const wrongBody = (await wrong.json()) as { error: { code: string; request_id: string } };
  expect(wrongBody.error.code).toBe("AUTHENTICATION_FAILED");
  expect(wrong.headers()["x-request-id"]).toBe(wrongBody.error.request_id);

  const garbage = await request.get("/api/auth/me", { headers: { Authorization: "Bearer garbage" } });
  expect(garbage.status()).toBe(401);

  const unknown = await request.get("/api/no-such-route", { headers: { "X-Request-Id": "e2e-trace-1" } });
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ error: { code: "NOT_FOUND", request_id: "e2e-trace-1" } });
});

test("health, readiness and status answer", async ({ request }) => {
  for (const path of ["/api/health", "/api/ready", "/api/status"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
  }
  const status = (await (await request.get("/api/status")).json()) as { service: string; authenticated: boolean };
  expect(status).toMatchObject({ service: "intake", authenticated: false });
});

test("the earlier API's collection paths with a trailing slash are answered in place, not redirected", async ({
  request,
}) => {
  const login = await request.post("/api/auth/login/", {
    data: { email: E2E_ADMIN.email, password: E2E_ADMIN.password },
    maxRedirects: 0,
  });
  expect(login.status()).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${token}` };

  const created = await request.post("/api/projects/", {
    headers,
    data: { name: `Trailing slash ${Date.now()}` },
    maxRedirects: 0,
  });
  expect(created.status(), await created.text()).toBe(201);
  const project = (await created.json()) as { id: number; name: string };
  const listed = await request.get("/api/projects/?page_size=100", { headers, maxRedirects: 0 });
  expect(listed.status()).toBe(200);
  expect(((await listed.json()) as { projects: { id: number }[] }).projects.map((row) => row.id)).toContain(project.id);
  const one = await request.get(`/api/projects/${project.id}/`, { headers, maxRedirects: 0 });
  expect(await one.json()).toMatchObject({ id: project.id, name: project.name });
});
