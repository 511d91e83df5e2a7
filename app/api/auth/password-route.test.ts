import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as changePassword } from "@/app/api/auth/password/route";
import type { Company } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope, matching } from "@/test/http";

type Pair = { access_token: string; refresh_token: string };

describeEachBackend("POST /api/auth/password", (database) => {
  let company: Company;
  let user: TestUser;

  const loginWith = (password: string) => call(login, "/api/auth/login", { body: { email: user.email, password } });
  const pairFor = async (password: string) => {
    const result = await loginWith(password);
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return result.json as Pair;
  };
  const change = (bearer: string | undefined, body: unknown) =>
    call(changePassword, "/api/auth/password", { bearer, body });

  beforeAll(async () => {
    company = await createCompany(database.db, "Acme Contacts");
    user = await createUser(database.db, { password: "first-password", memberOf: [{ company, groups: ["viewer"] }] });
  });

  it.each<[string, unknown, string, RegExp]>([
    [
      "a wrong current password",
      { current_password: "wrong", new_password: "second-password" },
      "body.current_password",
      /wrong/,
    ],
    [
      "a short new password",
      { current_password: "first-password", new_password: "short" },
      "body.new_password",
      /at least 8/,
    ],
    [
      "the same password",
      { current_password: "first-password", new_password: "first-password" },
      "body.new_password",
      /differ/,
    ],
    ["no current password", { new_password: "second-password" }, "body.current_password", /./],
  ])("%s → 400 naming the field; the password stays", async (_label, body, field, reason) => {
    const { access_token } = await pairFor("first-password");
    const error = expectEnvelope(await change(access_token, body), 400, "VALIDATION_ERROR");
    expect(error.details).toEqual({ fields: [{ field, reason: matching(reason) }] });
    expect(error.message).toMatch(new RegExp(`^Invalid ${field.replace(".", "\\.")}: `));
    await pairFor("first-password");
  });

  it("without credentials → 401", async () => {
    expectEnvelope(
      await change(undefined, { current_password: "first-password", new_password: "x-password" }),
      401,
      "AUTHENTICATION_FAILED",
    );
  });

  it("with an API key → 403: a key has no password", async () => {
    const { key } = await createApiKey({ companyId: company.id, name: "nightly", groups: ["admin"] });
    const result = await change(key, { current_password: "first-password", new_password: "second-password" });
    expect(expectEnvelope(result, 403, "FORBIDDEN").message).toMatch(/API key has no password/);
    await pairFor("first-password");
  });

  it("with an access token: changed; a new pair comes back, every earlier token stops working", async () => {
    const other = await pairFor("first-password");
    const caller = await pairFor("first-password");
    const result = await change(caller.access_token, {
      current_password: "first-password",
      new_password: "second-password",
    });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    expect(result.json).toEqual({
      message: anyString,
      tokens: {
        access_token: matching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refresh_token: matching(/^rt_/),
        token_type: "bearer",
        expires_in: 900,
      },
    });
    const fresh = (result.json as { tokens: Pair }).tokens;

    for (const stale of [other.access_token, caller.access_token]) {
      expectEnvelope(await call(me, "/api/auth/me", { bearer: stale }), 401, "AUTHENTICATION_FAILED");
    }
    expect((await call(me, "/api/auth/me", { bearer: fresh.access_token })).status).toBe(200);
    expectEnvelope(await loginWith("first-password"), 401, "AUTHENTICATION_FAILED");
    await pairFor("second-password");
  });

  describe("contract", () => {
    it("refuses a body that is not JSON", async () => {
      const { access_token } = await pairFor("second-password");
      const result = await call(changePassword, "/api/auth/password", {
        bearer: access_token,
        body: "current_password=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expectEnvelope(result, 415, "UNSUPPORTED_MEDIA_TYPE");
    });
  });
});
