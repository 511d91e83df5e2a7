import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import { refreshTokens, users, type Company } from "@/db/schema";
import {
  changePassword,
  PasswordChangeRefused,
  resetPassword,
  signOutEverywhere,
  UnknownAccountError,
} from "@/lib/auth/account";
import { credentialOf, credentialStamp, sessionStamp } from "@/lib/auth/credential-stamp";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany, createUser, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope, matching } from "@/test/http";

type Pair = { access_token: string; refresh_token: string };

async function loginWith(email: string | null, password: string) {
  return call(login, "/api/auth/login", { body: { email, password } });
}

async function signedIn(email: string | null, password: string): Promise<Pair> {
  const result = await loginWith(email, password);
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json as Pair;
}

/** Everything a password change or reset must end, and what must work afterwards. */
async function expectOnlyNewPasswordWorks(
  database: TestDatabase,
  user: TestUser,
  { oldPassword, newPassword, before }: { oldPassword: string; newPassword: string; before: Pair },
) {
  expectEnvelope(await loginWith(user.email, oldPassword), 401, "AUTHENTICATION_FAILED");
  await signedIn(user.email, newPassword);

  const staleAccess = await call(me, "/api/auth/me", { bearer: before.access_token });
  expect(expectEnvelope(staleAccess, 401, "AUTHENTICATION_FAILED").message).toBe(
    "This token was issued before the account's password changed or it signed out everywhere; log in again",
  );
  const staleRefresh = await call(refresh, "/api/auth/refresh", { body: { refresh_token: before.refresh_token } });
  expectEnvelope(staleRefresh, 401, "AUTHENTICATION_FAILED");

  const tokens = await database.db
    .select({ revokedAt: refreshTokens.revokedAt, createdAt: refreshTokens.createdAt })
    .from(refreshTokens)
    .where(eq(refreshTokens.userId, user.id));
  const [stored] = await database.db.select().from(users).where(eq(users.id, user.id));
  // Only the refresh token of the sign-in with the new password is still live.
  expect(tokens.filter((token) => token.revokedAt === null)).toHaveLength(1);
  expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
}

describeEachBackend("password reset and change", (database) => {
  let company: Company;

  beforeAll(async () => {
    company = await createCompany(database.db, "Acme Contacts");
  });

  describe("resetPassword (npm run db:seed -- --reset-password)", () => {
    it("gives any account a new password, shown once; the old one and every earlier token stop working", async () => {
      const user = await createUser(database.db, {
        email: "ann@acme.test",
        memberOf: [{ company, groups: ["viewer"] }],
      });
      const before = await signedIn(user.email, user.password);
      await signedIn(user.email, user.password); // a second device

      const reset = await resetPassword({ email: "ANN@Acme.test" });
      expect(reset).toEqual({ email: "ann@acme.test", password: matching(/^[\w-]{16}$/), revokedRefreshTokens: 2 });

      await expectOnlyNewPasswordWorks(database, user, {
        oldPassword: user.password,
        newPassword: reset.password,
        before,
      });
    });

    it("names an unknown email and changes nothing", async () => {
      const hashes = () => database.db.select({ id: users.id, hash: users.passwordHash }).from(users).orderBy(users.id);
      const before = await hashes();
      const refusal = await resetPassword({ email: "nobody@acme.test" }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(UnknownAccountError);
      expect(refusal).toMatchObject({ message: "No account has the email 'nobody@acme.test'" });
      expect(await hashes()).toEqual(before);
    });
  });

  describe("changePassword (Settings → Account, POST /api/auth/password)", () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await createUser(database.db, {
        email: "bob@acme.test",
        password: "bobs-first-password",
        memberOf: [{ company, groups: ["editor"] }],
      });
    });

    it.each<[string, string, string, "current_password" | "new_password", string]>([
      [
        "a wrong current password",
        "not-bobs-password",
        "a-fine-new-password",
        "current_password",
        "The current password is wrong",
      ],
      [
        "a new password under 8 characters",
        "bobs-first-password",
        "short",
        "new_password",
        "Use at least 8 characters",
      ],
      [
        "a new password equal to the current one",
        "bobs-first-password",
        "bobs-first-password",
        "new_password",
        "The new password must differ from the current one",
      ],
      [
        "a new password over 1024 characters",
        "bobs-first-password",
        "x".repeat(1025),
        "new_password",
        "Use at most 1024 characters",
      ],
    ])(
      "refuses %s, naming the field, and keeps the password",
      async (_label, currentPassword, newPassword, field, message) => {
        const refusal = await changePassword({ userId: user.id, currentPassword, newPassword }).catch(
          (error: unknown) => error,
        );
        expect(refusal).toBeInstanceOf(PasswordChangeRefused);
        expect(refusal).toMatchObject({ field, message });
        await signedIn(user.email, "bobs-first-password");
      },
    );

    it("refuses an account without a password (signed in through Cognito)", async () => {
      const external = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
      await database.db.update(users).set({ passwordHash: null }).where(eq(users.id, external.id));
      await expect(
        changePassword({ userId: external.id, currentPassword: external.password, newPassword: "a-fine-new-password" }),
      ).rejects.toMatchObject({ field: "current_password", message: matching(/no password here/) });
    });

    it("with the right current password: the new one signs in, the old one and every earlier token do not", async () => {
      const before = await signedIn(user.email, "bobs-first-password");
      const changed = await changePassword({
        userId: user.id,
        currentPassword: "bobs-first-password",
        newPassword: "bobs-second-password",
      });
      const [stored] = await database.db.select().from(users).where(eq(users.id, user.id));
      expect(changed.credentialStamp).toBe(credentialStamp(stored?.passwordHash ?? null));
      expect(changed.revokedRefreshTokens).toBeGreaterThanOrEqual(1);

      await expectOnlyNewPasswordWorks(database, user, {
        oldPassword: "bobs-first-password",
        newPassword: "bobs-second-password",
        before,
      });
    });
  });
});

describeEachBackend("sign out everywhere", (database) => {
  let company: Company;

  beforeAll(async () => {
    company = await createCompany(database.db, "Everywhere Inc");
  });

  it("ends every access token, refresh token and browser session of the account; the password still signs in", async () => {
    const user = await createUser(database.db, { memberOf: [{ company, groups: ["editor"] }] });
    const laptop = await signedIn(user.email, user.password);
    const phone = await signedIn(user.email, user.password);
    const [before] = await database.db.select().from(users).where(eq(users.id, user.id));
    if (!before) throw new Error("user not stored");
    const browserStamp = credentialStamp(credentialOf(before));
    expect(
      sessionStamp({ carried: browserStamp, updated: undefined, signingIn: false, passwordHash: credentialOf(before) }),
    ).toBe(browserStamp);

    expect(await signOutEverywhere({ userId: user.id })).toEqual({ revokedRefreshTokens: 2 });

    for (const pair of [laptop, phone]) {
      const staleAccess = await call(me, "/api/auth/me", { bearer: pair.access_token });
      expect(expectEnvelope(staleAccess, 401, "AUTHENTICATION_FAILED").message).toMatch(/signed out everywhere/);
      expectEnvelope(
        await call(refresh, "/api/auth/refresh", { body: { refresh_token: pair.refresh_token } }),
        401,
        "AUTHENTICATION_FAILED",
      );
    }
    const [after] = await database.db.select().from(users).where(eq(users.id, user.id));
    if (!after) throw new Error("user not stored");
    expect(after.credentialEpoch).toBe(before.credentialEpoch + 1);
    expect(after.passwordHash).toBe(before.passwordHash);
    // The browser session's stamp no longer matches: Auth.js's jwt callback ends it at its next request.
    expect(
      sessionStamp({ carried: browserStamp, updated: undefined, signingIn: false, passwordHash: credentialOf(after) }),
    ).toBeNull();

    const fresh = await signedIn(user.email, user.password);
    expect((await call(me, "/api/auth/me", { bearer: fresh.access_token })).status).toBe(200);
  });

  it("names an account that no longer exists", async () => {
    await expect(signOutEverywhere({ userId: "no-such-user" })).rejects.toThrow("This account no longer exists");
  });
});
