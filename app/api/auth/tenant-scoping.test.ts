import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import { GET as status } from "@/app/api/status/route";
import { memberships, users, type Company } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { describeEachBackend } from "@/test/database";
import { addMember, createCompany, createUser, setCompanyActive, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";

type Me = {
  auth_method: string;
  company: { id: string; name: string; slug: string };
  groups: string[];
  companies: { id: string; name: string; groups: string[] }[];
};

describeEachBackend("tenant scoping", (database) => {
  let companyA: Company;
  let companyB: Company;
  let alice: TestUser; // company A only
  let bob: TestUser; // company B only

  const loginAs = async (who: TestUser, companyId?: string) => {
    const result = await call(login, "/api/auth/login", {
      body: { email: who.email, password: who.password, ...(companyId ? { company_id: companyId } : {}) },
    });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return result.json as { access_token: string; refresh_token: string };
  };
  const whoAmI = async (bearer: string) => {
    const result = await call(me, "/api/auth/me", { bearer });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return result.json as Me;
  };

  beforeAll(async () => {
    companyA = await createCompany(database.db, "Alpha Inc");
    companyB = await createCompany(database.db, "Bravo GmbH");
    alice = await createUser(database.db, { memberOf: [{ company: companyA, groups: ["admin"] }] });
    bob = await createUser(database.db, { memberOf: [{ company: companyB, groups: ["viewer"] }] });
  });

  it("each user's token sees only their own company", async () => {
    const a = await whoAmI((await loginAs(alice)).access_token);
    expect(a.company).toEqual({ id: companyA.id, name: "Alpha Inc", slug: companyA.slug });
    expect(a.groups).toEqual(["admin"]);
    expect(a.companies).toEqual([{ id: companyA.id, name: "Alpha Inc", slug: companyA.slug, groups: ["admin"] }]);

    const b = await whoAmI((await loginAs(bob)).access_token);
    expect(b.company.id).toBe(companyB.id);
    expect(b.groups).toEqual(["viewer"]);
    expect(b.companies.map((c) => c.id)).toEqual([companyB.id]);
  });

  it("an API key sees only its own company", async () => {
    const { key } = await createApiKey({ companyId: companyB.id, name: "bravo key", groups: ["viewer"] });
    const result = await whoAmI(key);
    expect(result.company.id).toBe(companyB.id);
    expect(result.companies.map((c) => c.id)).toEqual([companyB.id]);
  });

  it("login with company_id of a company the user does not belong to → 403", async () => {
    const result = await call(login, "/api/auth/login", {
      body: { email: alice.email, password: alice.password, company_id: companyB.id },
    });
    const error = expectEnvelope(result, 403, "FORBIDDEN");
    expect(error.message).toBe("This account is not a member of that company");
  });

  it("login with the company_id of a company that does not exist → 403", async () => {
    const result = await call(login, "/api/auth/login", {
      body: { email: alice.email, password: alice.password, company_id: crypto.randomUUID() },
    });
    expectEnvelope(result, 403, "FORBIDDEN");
  });

  describe("a member of several companies", () => {
    let carol: TestUser;
    let companyC: Company;

    beforeAll(async () => {
      companyC = await createCompany(database.db, "Charlie Ltd");
      carol = await createUser(database.db, {
        memberOf: [
          { company: companyC, groups: ["uploader"] },
          { company: companyA, groups: ["editor"] },
        ],
      });
    });

    it("acts in their first company by name unless they ask for another", async () => {
      const first = await whoAmI((await loginAs(carol)).access_token);
      expect(first.company.id).toBe(companyA.id); // "Alpha Inc" sorts before "Charlie Ltd"
      expect(first.groups).toEqual(["editor"]);
      expect(first.companies.map((c) => [c.name, c.groups])).toEqual([
        ["Alpha Inc", ["editor"]],
        ["Charlie Ltd", ["uploader"]],
      ]);

      const chosen = await whoAmI((await loginAs(carol, companyC.id)).access_token);
      expect(chosen.company.id).toBe(companyC.id);
      expect(chosen.groups).toEqual(["uploader"]);
    });

    it("a token stays bound to its company, and refresh keeps it there", async () => {
      const pair = await loginAs(carol, companyC.id);
      const refreshed = await call(refresh, "/api/auth/refresh", { body: { refresh_token: pair.refresh_token } });
      expect(refreshed.status).toBe(200);
      const result = await whoAmI((refreshed.json as { access_token: string }).access_token);
      expect(result.company.id).toBe(companyC.id);
    });

    it("a suspended company disappears from their list, and its token is refused saying why", async () => {
      const pair = await loginAs(carol, companyC.id);
      await setCompanyActive(database.db, companyC, false);
      try {
        const error = expectEnvelope(await call(me, "/api/auth/me", { bearer: pair.access_token }), 403, "FORBIDDEN");
        expect(error.message).toMatch(/^The company 'Charlie Ltd' is suspended/);
        expectEnvelope(
          await call(login, "/api/auth/login", {
            body: { email: carol.email, password: carol.password, company_id: companyC.id },
          }),
          403,
          "FORBIDDEN",
        );
        const other = await whoAmI((await loginAs(carol)).access_token);
        expect(other.companies.map((c) => c.id)).toEqual([companyA.id]);
      } finally {
        await setCompanyActive(database.db, companyC, true);
      }
    });
  });

  describe("membership changes take effect at once", () => {
    it("a user removed from their company loses access with their old token", async () => {
      const dave = await createUser(database.db, { memberOf: [{ company: companyA, groups: ["editor"] }] });
      const pair = await loginAs(dave);
      expect((await whoAmI(pair.access_token)).company.id).toBe(companyA.id);

      await database.db
        .delete(memberships)
        .where(and(eq(memberships.userId, dave.id), eq(memberships.companyId, companyA.id)));

      const result = await call(me, "/api/auth/me", { bearer: pair.access_token });
      const error = expectEnvelope(result, 403, "FORBIDDEN");
      expect(error.message).toBe("This account is no longer a member of the token's company");
      expectEnvelope(await call(status, "/api/status", { bearer: pair.access_token }), 403, "FORBIDDEN");

      const refreshed = await call(refresh, "/api/auth/refresh", { body: { refresh_token: pair.refresh_token } });
      expectEnvelope(refreshed, 401, "AUTHENTICATION_FAILED");

      const relogin = await call(login, "/api/auth/login", { body: { email: dave.email, password: dave.password } });
      expectEnvelope(relogin, 403, "FORBIDDEN");
    });

    it("changed groups show on the next request with the same token", async () => {
      const erin = await createUser(database.db, { memberOf: [{ company: companyB, groups: ["viewer"] }] });
      const { access_token } = await loginAs(erin);
      expect((await whoAmI(access_token)).groups).toEqual(["viewer"]);
      await database.db
        .update(memberships)
        .set({ groups: ["editor", "uploader"] })
        .where(and(eq(memberships.userId, erin.id), eq(memberships.companyId, companyB.id)));
      expect((await whoAmI(access_token)).groups).toEqual(["editor", "uploader"]);
    });

    it("a deleted user's token → 401", async () => {
      const frank = await createUser(database.db, { memberOf: [{ company: companyB, groups: ["viewer"] }] });
      const { access_token } = await loginAs(frank);
      await database.db.delete(users).where(eq(users.id, frank.id));
      const error = expectEnvelope(
        await call(me, "/api/auth/me", { bearer: access_token }),
        401,
        "AUTHENTICATION_FAILED",
      );
      expect(error.message).toBe("The account behind this token no longer exists");
    });

    it("a user added to a second company can switch to it at login", async () => {
      const gina = await createUser(database.db, { memberOf: [{ company: companyB, groups: ["viewer"] }] });
      expectEnvelope(
        await call(login, "/api/auth/login", {
          body: { email: gina.email, password: gina.password, company_id: companyA.id },
        }),
        403,
        "FORBIDDEN",
      );
      await addMember(database.db, companyA, gina, ["uploader"]);
      const result = await whoAmI((await loginAs(gina, companyA.id)).access_token);
      expect(result.company.id).toBe(companyA.id);
      expect(result.groups).toEqual(["uploader"]);
    });
  });
});
