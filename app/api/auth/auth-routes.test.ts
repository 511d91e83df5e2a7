import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import { apiKeys, refreshTokens, users, type Company } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { signAccessToken, verifyAccessToken } from "@/lib/auth/access-tokens";
import { credentialStamp } from "@/lib/auth/credential-stamp";
import { sha256Hex } from "@/lib/auth/secrets";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, setCompanyActive, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope, matching, type CallResult } from "@/test/http";

type Pair = { access_token: string; refresh_token: string; token_type: string; expires_in: number };

function pairOf(result: CallResult): Pair {
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  expect(result.json).toEqual({
    access_token: matching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    refresh_token: matching(/^rt_[\w-]{43}$/),
    token_type: "bearer",
    expires_in: 900,
  });
  expect(result.headers.get("cache-control")).toBe("no-store");
  return result.json as Pair;
}

describeEachBackend("auth routes", (database) => {
  let company: Company;
  let user: TestUser;

  const loginAs = async (who: TestUser) =>
    pairOf(await call(login, "/api/auth/login", { body: { email: who.email, password: who.password } }));
  const refreshWith = (token: string) => call(refresh, "/api/auth/refresh", { body: { refresh_token: token } });

  beforeAll(async () => {
    company = await createCompany(database.db, "Acme Contacts");
    user = await createUser(database.db, {
      email: "ann@acme.test",
      name: "Ann Editor",
      memberOf: [{ company, groups: ["editor", "uploader"] }],
    });
  });

  describe("login and me", () => {
    it("a token pair from login works on /api/auth/me", async () => {
      const pair = await loginAs(user);
      await expect(verifyAccessToken(pair.access_token)).resolves.toEqual({
        ok: true,
        claims: { userId: user.id, companyId: company.id, credentialStamp: credentialStamp(user.passwordHash) },
      });

      const result = await call(me, "/api/auth/me", { bearer: pair.access_token });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({
        auth_method: "access_token",
        user: { id: user.id, email: "ann@acme.test", name: "Ann Editor", is_platform_admin: false },
        api_key: null,
        company: { id: company.id, name: "Acme Contacts", slug: company.slug },
        groups: ["editor", "uploader"],
        companies: [{ id: company.id, name: "Acme Contacts", slug: company.slug, groups: ["editor", "uploader"] }],
      });
    });

    it("matches the email case-insensitively", async () => {
      const result = await call(login, "/api/auth/login", {
        body: { email: "ANN@Acme.Test", password: user.password },
      });
      pairOf(result);
    });

    it("the refresh token is stored hashed, never in clear", async () => {
      const pair = await loginAs(user);
      const stored = await database.db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, sha256Hex(pair.refresh_token)));
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ userId: user.id, companyId: company.id, revokedAt: null });
      const days = ((stored[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
    });

    it("a wrong password → 401 envelope", async () => {
      const result = await call(login, "/api/auth/login", {
        body: { email: user.email, password: "not-the-password" },
      });
      const error = expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
      expect(error.message).toBe("Invalid email or password");
      expect(error.details).toBeNull();
    });

    it("an unknown email gets the same answer as a wrong password", async () => {
      const result = await call(login, "/api/auth/login", {
        body: { email: "nobody@acme.test", password: "whatever" },
      });
      expect(expectEnvelope(result, 401, "AUTHENTICATION_FAILED").message).toBe("Invalid email or password");
    });

    it("a user without a password (e.g. from Cognito) cannot log in with one", async () => {
      const external = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
      await database.db.update(users).set({ passwordHash: null }).where(eq(users.id, external.id));
      const result = await call(login, "/api/auth/login", {
        body: { email: external.email, password: external.password },
      });
      expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
    });

    it("a user in no company → 403", async () => {
      const loner = await createUser(database.db);
      const result = await call(login, "/api/auth/login", { body: { email: loner.email, password: loner.password } });
      const error = expectEnvelope(result, 403, "FORBIDDEN");
      expect(error.message).toBe("This account is not a member of any active company");
    });

    it("a validation error names the field", async () => {
      const result = await call(login, "/api/auth/login", { body: { email: "ann@acme.test" } });
      const error = expectEnvelope(result, 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [{ field: "body.password", reason: anyString }] });
      expect(error.message).toMatch(/^Invalid body\.password: /);
    });

    it.each([
      { body: { username: "ann@acme.test" }, sends: "username (seed 002's body)" },
      { body: { email: "ANN@acme.test", username: "ann@acme.test" }, sends: "email and username, the same address" },
    ])("accepts $sends", async ({ body }) => {
      const pair = pairOf(await call(login, "/api/auth/login", { body: { ...body, password: user.password } }));
      await expect(verifyAccessToken(pair.access_token)).resolves.toMatchObject({ claims: { userId: user.id } });
    });

    it.each([
      {
        body: { email: "ann@acme.test", username: "bob@acme.test" },
        field: "body.username",
        message: /email and username name different accounts/,
      },
      { body: {}, field: "body.email", message: /Send email \(or username\)/ },
      { body: { username: "ann" }, field: "body.username", message: /email/ },
    ])("refuses $body with 400 naming $field", async ({ body, field, message }) => {
      const result = await call(login, "/api/auth/login", { body: { ...body, password: user.password } });
      const error = expectEnvelope(result, 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [{ field, reason: matching(message) }] });
    });

    it("invalid JSON → 400", async () => {
      const result = await call(login, "/api/auth/login", { body: '{"email": "ann@acme.test",' });
      expect(expectEnvelope(result, 400, "VALIDATION_ERROR").message).toBe("The request body is not valid JSON");
    });
  });

  describe("bearer tokens", () => {
    it("missing auth → 401", async () => {
      const result = await call(me, "/api/auth/me");
      expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
      expect(result.headers.get("www-authenticate")).toBe("Bearer");
    });

    it.each<[string, Record<string, string>]>([
      ["a garbage bearer", { authorization: "Bearer garbage" }],
      ["a JWT-shaped garbage bearer", { authorization: "Bearer aaa.bbb.ccc" }],
      ["an API-key-shaped unknown key", { authorization: `Bearer ik_${"x".repeat(43)}` }],
      ["a refresh token used as bearer", { authorization: `Bearer rt_${"x".repeat(43)}` }],
      ["a Basic header", { authorization: "Basic YW5uOnB3" }],
      ["Bearer with no token", { authorization: "Bearer " }],
      ["Bearer with two tokens", { authorization: "Bearer one two" }],
    ])("%s → 401", async (_label, headers) => {
      const result = await call(me, "/api/auth/me", { headers });
      expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
      expect(result.headers.get("www-authenticate")).toBe("Bearer");
    });

    it("accepts any case of the Bearer scheme", async () => {
      const pair = await loginAs(user);
      const result = await call(me, "/api/auth/me", { headers: { authorization: `bearer ${pair.access_token}` } });
      expect(result.status).toBe(200);
    });

    it("an access token signed with another secret → 401", async () => {
      const { token } = await signAccessToken(
        { userId: user.id, companyId: company.id, credentialStamp: credentialStamp(user.passwordHash) },
        { secret: "some-other-secret-that-is-long-enough" },
      );
      const error = expectEnvelope(await call(me, "/api/auth/me", { bearer: token }), 401, "AUTHENTICATION_FAILED");
      expect(error.message).toBe("The bearer token is not valid");
    });

    it("an expired access token → 401 pointing at refresh", async () => {
      let token: string;
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        vi.setSystemTime(Date.now() - 3_600_000);
        ({ token } = await signAccessToken(
          { userId: user.id, companyId: company.id, credentialStamp: credentialStamp(user.passwordHash) },
          { ttlSeconds: 60 },
        ));
      } finally {
        vi.useRealTimers();
      }
      const error = expectEnvelope(await call(me, "/api/auth/me", { bearer: token }), 401, "AUTHENTICATION_FAILED");
      expect(error.message).toMatch(/expired.*\/api\/auth\/refresh/);
    });
  });

  describe("refresh", () => {
    it("returns a new pair; the old refresh token then fails with 401", async () => {
      const first = await loginAs(user);
      const second = pairOf(await refreshWith(first.refresh_token));
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);

      const whoami = await call(me, "/api/auth/me", { bearer: second.access_token });
      expect(whoami.status).toBe(200);
      expect(whoami.json).toMatchObject({ user: { id: user.id }, company: { id: company.id } });

      const reused = await refreshWith(first.refresh_token);
      expect(expectEnvelope(reused, 401, "AUTHENTICATION_FAILED").message).toMatch(/refresh token/);
    });

    it("replaying a spent refresh token revokes its whole family, and only that family", async () => {
      const first = await loginAs(user);
      const other = await loginAs(user); // another device: its own family
      const second = pairOf(await refreshWith(first.refresh_token));

      expectEnvelope(await refreshWith(first.refresh_token), 401, "AUTHENTICATION_FAILED"); // the replay
      expectEnvelope(await refreshWith(second.refresh_token), 401, "AUTHENTICATION_FAILED"); // the newer token is dead too

      const [spent] = await database.db
        .select({ familyId: refreshTokens.familyId })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, sha256Hex(first.refresh_token)));
      const family = await database.db
        .select({ revokedAt: refreshTokens.revokedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.familyId, spent?.familyId ?? ""));
      expect(family).toHaveLength(2);
      for (const row of family) expect(row.revokedAt).toBeInstanceOf(Date);

      pairOf(await refreshWith(other.refresh_token));
    });

    it("an unknown refresh token → 401", async () => {
      expectEnvelope(await refreshWith(`rt_${"y".repeat(43)}`), 401, "AUTHENTICATION_FAILED");
    });

    it("an expired refresh token → 401", async () => {
      const pair = await loginAs(user);
      await database.db
        .update(refreshTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(refreshTokens.tokenHash, sha256Hex(pair.refresh_token)));
      expectEnvelope(await refreshWith(pair.refresh_token), 401, "AUTHENTICATION_FAILED");
    });

    it("a missing refresh_token → 400 naming it", async () => {
      const error = expectEnvelope(await call(refresh, "/api/auth/refresh", { body: {} }), 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [{ field: "body.refresh_token", reason: anyString }] });
    });
  });

  describe("API keys", () => {
    it("a key from createApiKey works as bearer with its own groups", async () => {
      const created = await createApiKey({
        companyId: company.id,
        name: "nightly import",
        groups: ["uploader"],
        createdById: user.id,
      });
      expect(created.key.startsWith(created.prefix)).toBe(true);

      const result = await call(me, "/api/auth/me", { bearer: created.key });
      expect(result.status).toBe(200);
      expect(result.json).toEqual({
        auth_method: "api_key",
        user: null,
        api_key: { id: created.id, name: "nightly import" },
        company: { id: company.id, name: "Acme Contacts", slug: company.slug },
        groups: ["uploader"],
        companies: [{ id: company.id, name: "Acme Contacts", slug: company.slug, groups: ["uploader"] }],
      });

      const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
      expect(row?.keyHash).toBe(sha256Hex(created.key));
      expect(row?.lastUsedAt).toBeInstanceOf(Date);
      expect(JSON.stringify(row)).not.toContain(created.key);
    });

    it("a key expiring in the future works", async () => {
      const { key } = await createApiKey({
        companyId: company.id,
        name: "short-lived",
        groups: ["viewer"],
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      expect((await call(me, "/api/auth/me", { bearer: key })).status).toBe(200);
    });

    it("a revoked key → 401", async () => {
      const { id, key } = await createApiKey({ companyId: company.id, name: "to revoke", groups: ["viewer"] });
      expect((await call(me, "/api/auth/me", { bearer: key })).status).toBe(200);
      await database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
      const error = expectEnvelope(await call(me, "/api/auth/me", { bearer: key }), 401, "AUTHENTICATION_FAILED");
      expect(error.message).toMatch(/API key/);
    });

    it("an expired key → 401", async () => {
      const { key } = await createApiKey({
        companyId: company.id,
        name: "expired",
        groups: ["viewer"],
        expiresAt: new Date(Date.now() - 1000),
      });
      expectEnvelope(await call(me, "/api/auth/me", { bearer: key }), 401, "AUTHENTICATION_FAILED");
    });

    it("a key of a suspended company → 403 saying so", async () => {
      const paused = await createCompany(database.db, "Paused Co");
      const { key } = await createApiKey({ companyId: paused.id, name: "paused", groups: ["admin"] });
      expect((await call(me, "/api/auth/me", { bearer: key })).status).toBe(200);
      await setCompanyActive(database.db, paused, false);
      const error = expectEnvelope(await call(me, "/api/auth/me", { bearer: key }), 403, "FORBIDDEN");
      expect(error.message).toMatch(/^The company 'Paused Co' is suspended/);
    });

    it("a key with one character changed → 401", async () => {
      const { key } = await createApiKey({ companyId: company.id, name: "typo", groups: ["viewer"] });
      const typo = key.slice(0, -2) + (key.at(-2) === "a" ? "b" : "a") + key.slice(-1);
      expectEnvelope(await call(me, "/api/auth/me", { bearer: typo }), 401, "AUTHENTICATION_FAILED");
    });
  });
});
