import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import type { Company } from "@/db/schema";
import { authorizeWithPassword, RateLimitedSignin } from "@/lib/auth/password-sign-in";
import { resetEnvForTests } from "@/lib/env";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope, type CallResult } from "@/test/http";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function configure(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  resetEnvForTests();
}

// Behind a trusted proxy each test signs in from an address of its own, so the tests' counts stay apart.
let addressCounter = 0;
const freshAddress = () => `198.51.100.${++addressCounter}`;

function expectLimited(result: CallResult, subject: "this account" | "this address", windowSeconds = 900): void {
  expectEnvelope(result, 429, "RATE_LIMIT_EXCEEDED");
  const retryAfter = Number(result.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  const error = result.json.error as { message: string; details: unknown };
  expect(error.message).toMatch(new RegExp(`^Too many failed sign-ins (for|from) ${subject}; try again in \\d+ `));
  expect(error.details).toEqual({ retry_after_seconds: retryAfter });
}

describeEachBackend("password guessing limits", (database) => {
  let company: Company;

  const newUser = async (): Promise<TestUser & { email: string }> => {
    const email = `guess-${unique()}@acme.test`;
    const user = await createUser(database.db, { email, memberOf: [{ company, groups: ["viewer"] }] });
    return { ...user, email };
  };
  const loginFrom = (address: string, email: string, password: string) =>
    call(login, "/api/auth/login", { body: { email, password }, headers: { "x-forwarded-for": address } });
  const failTimes = async (times: number, address: string, email: string) => {
    for (let attempt = 0; attempt < times; attempt++) {
      expectEnvelope(await loginFrom(address, email, "wrong password"), 401, "AUTHENTICATION_FAILED");
    }
  };

  beforeAll(async () => {
    company = await createCompany(database.db, "Guessing Ltd");
  });

  beforeEach(() => configure({ TRUST_PROXY: "true" }));

  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
  });

  describe("POST /api/auth/login", () => {
    it("refuses the 11th attempt for an account within the window with 429, even with the right password", async () => {
      const user = await newUser();
      const address = freshAddress();
      await failTimes(10, address, user.email.toUpperCase());
      expectLimited(await loginFrom(address, user.email, "wrong password"), "this account");
      expectLimited(await loginFrom(address, user.email, user.password), "this account");
    });

    it("counts an account's failures from every address, but lets other accounts from the same address in", async () => {
      const [victim, other] = [await newUser(), await newUser()];
      const attacker = freshAddress();
      await failTimes(5, attacker, victim.email);
      await failTimes(5, freshAddress(), victim.email);
      expectLimited(await loginFrom(freshAddress(), victim.email, victim.password), "this account");
      expect((await loginFrom(attacker, other.email, other.password)).status).toBe(200);
    });

    it("a success gives the account its attempts back", async () => {
      const user = await newUser();
      const address = freshAddress();
      await failTimes(9, address, user.email);
      expect((await loginFrom(address, user.email, user.password)).status).toBe(200);
      await failTimes(10, address, user.email);
      expectLimited(await loginFrom(address, user.email, "wrong password"), "this account");
    });

    it("lets the right password in again once the window has passed", async () => {
      configure({ TRUST_PROXY: "true", SIGN_IN_MAX_FAILURES: "2", SIGN_IN_WINDOW_SECONDS: "1" });
      const user = await newUser();
      const address = freshAddress();
      await failTimes(2, address, user.email);
      expectLimited(await loginFrom(address, user.email, user.password), "this account", 1);
      await sleep(1100);
      expect((await loginFrom(address, user.email, user.password)).status).toBe(200);
    });

    it("refuses an address after 100 failures across accounts, and only that address", async () => {
      const address = freshAddress();
      // Ten failures for each of ten accounts (unknown ones: the address limit does not ask whether they exist).
      const accounts = Array.from({ length: 10 }, () => `nobody-${unique()}@acme.test`);
      await Promise.all(accounts.map((email) => failTimes(10, address, email)));
      const user = await newUser();
      expectLimited(await loginFrom(address, user.email, user.password), "this address");
      expect((await loginFrom(freshAddress(), user.email, user.password)).status).toBe(200);
    });

    it("without a trusted proxy the address is unknown: failures across accounts lock nobody else out", async () => {
      configure({ TRUST_PROXY: "false", SIGN_IN_ADDRESS_MAX_FAILURES: "3" });
      const accounts = Array.from({ length: 3 }, () => `nobody-${unique()}@acme.test`);
      for (const email of accounts) await failTimes(2, freshAddress(), email);
      const user = await newUser();
      expect((await loginFrom(freshAddress(), user.email, user.password)).status).toBe(200);
    });

    it("without a trusted proxy, forwarded addresses are ignored: the account limit still holds", async () => {
      configure({ TRUST_PROXY: "false" });
      const user = await newUser();
      for (let attempt = 0; attempt < 10; attempt++) {
        expectEnvelope(await loginFrom(freshAddress(), user.email, "wrong"), 401, "AUTHENTICATION_FAILED");
      }
      expectLimited(await loginFrom(freshAddress(), user.email, user.password), "this account");
    });
  });

  describe("the sign-in form (Auth.js Credentials authorize)", () => {
    const authorizeFrom = (address: string, email: string, password: string) =>
      authorizeWithPassword(
        { email, password },
        new Request("http://localhost:3000/api/auth/callback/credentials", { headers: { "x-forwarded-for": address } }),
      );

    it("refuses the 11th attempt with a message saying when to try again", async () => {
      const user = await newUser();
      const address = freshAddress();
      for (let attempt = 0; attempt < 10; attempt++) {
        await expect(authorizeFrom(address, user.email, "wrong password")).resolves.toBeNull();
      }
      const refused = await authorizeFrom(address, user.email, user.password).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RateLimitedSignin);
      const limited = refused as RateLimitedSignin;
      expect(limited.tryAgain).toMatch(
        /^Too many failed sign-ins for this account; try again in 15 minutes \(at \d\d:\d\d UTC\)$/,
      );
      expect(limited.retryAfterSeconds).toBeGreaterThan(890);
    });

    it("shares the count with the API: failures in one refuse the other", async () => {
      const user = await newUser();
      const address = freshAddress();
      await failTimes(5, address, user.email);
      for (let attempt = 0; attempt < 5; attempt++) {
        await expect(authorizeFrom(address, user.email, "wrong password")).resolves.toBeNull();
      }
      expectLimited(await loginFrom(address, user.email, user.password), "this account");
    });

    it("signs the right password in and resets the count", async () => {
      const user = await newUser();
      const address = freshAddress();
      await failTimes(9, address, user.email);
      await expect(authorizeFrom(address, user.email, user.password)).resolves.toMatchObject({ id: user.id });
      await failTimes(10, address, user.email);
    });
  });

  describe("POST /api/auth/refresh", () => {
    const refreshFrom = (address: string, token: string) =>
      call(refresh, "/api/auth/refresh", { body: { refresh_token: token }, headers: { "x-forwarded-for": address } });

    it("refuses an address after too many invalid refresh tokens; valid ones still work elsewhere", async () => {
      configure({ TRUST_PROXY: "true", SIGN_IN_ADDRESS_MAX_FAILURES: "3" });
      const user = await newUser();
      const address = freshAddress();
      const pair = (await loginFrom(freshAddress(), user.email, user.password)).json as { refresh_token: string };
      for (let attempt = 0; attempt < 3; attempt++) {
        expectEnvelope(await refreshFrom(address, `rt_${unique()}`), 401, "AUTHENTICATION_FAILED");
      }
      const refused = await refreshFrom(address, pair.refresh_token);
      expectEnvelope(refused, 429, "RATE_LIMIT_EXCEEDED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((refused.json.error as { message: string }).message).toMatch(
        /^Too many refresh attempts with invalid tokens from this address; try again in/,
      );
      expect((await refreshFrom(freshAddress(), pair.refresh_token)).status).toBe(200);
    });
  });
});
