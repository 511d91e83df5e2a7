import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as listCompanies } from "@/app/api/companies/route";
import { GET as getCompany, PUT as updateCompany } from "@/app/api/companies/[id]/route";
import { companies, type Company } from "@/db/schema";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, setCompanyActive, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope } from "@/test/http";
import { keyFor } from "@/test/jobs";

describeEachBackend("company routes", (database) => {
  let acme: Company;
  let globex: Company;
  let initech: Company;
  let suspended: Company;
  /** Admin of Acme, editor of Globex, member of the suspended company; not in Initech. */
  let ann: TestUser;
  let annToken: string;
  let acmeEditorToken: string;

  const tokenOf = async (user: TestUser, companyId?: string): Promise<string> => {
    const result = await call(login, "/api/auth/login", {
      body: { email: user.email, password: user.password, company_id: companyId },
    });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return (result.json as { access_token: string }).access_token;
  };
  const get = (id: string, bearer: string) => call(getCompany, `/api/companies/${id}`, { bearer, params: { id } });
  const put = (id: string, body: unknown, bearer: string) =>
    call(updateCompany, `/api/companies/${id}`, { method: "PUT", body, bearer, params: { id } });
  const nameOf = async (company: Company) =>
    (await database.db.select().from(companies).where(eq(companies.id, company.id)))[0]?.name;

  beforeAll(async () => {
    acme = await createCompany(database.db, "Acme");
    globex = await createCompany(database.db, "Globex");
    initech = await createCompany(database.db, "Initech");
    suspended = await createCompany(database.db, "Suspended Co");
    ann = await createUser(database.db, {
      memberOf: [
        { company: acme, groups: ["admin"] },
        { company: globex, groups: ["editor", "uploader"] },
        { company: suspended, groups: ["admin"] },
      ],
    });
    await setCompanyActive(database.db, suspended, false);
    await createUser(database.db, { memberOf: [{ company: initech, groups: ["admin"] }] });
    annToken = await tokenOf(ann, acme.id);
    const acmeEditor = await createUser(database.db, { memberOf: [{ company: acme, groups: ["editor"] }] });
    acmeEditorToken = await tokenOf(acmeEditor);
  });

  describe("GET /api/companies", () => {
    it("lists exactly the person's active companies, by name, with their groups in each", async () => {
      const result = await call(listCompanies, "/api/companies", { bearer: annToken });
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json).toEqual([
        {
          id: acme.id,
          name: "Acme",
          slug: acme.slug,
          is_active: true,
          created_at: acme.createdAt.toISOString(),
          updated_at: anyString,
          groups: ["admin"],
        },
        expect.objectContaining({ id: globex.id, name: "Globex", groups: ["editor", "uploader"] }),
      ]);
    });

    it("an API key sees only its own company, with the key's groups", async () => {
      const key = await keyFor(globex, ["viewer"]);
      const result = await call(listCompanies, "/api/companies", { bearer: key });
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json).toEqual([expect.objectContaining({ id: globex.id, groups: ["viewer"] })]);
    });
  });

  describe("GET /api/companies/{id}", () => {
    it("a company the caller belongs to, even one they are not acting in, with its member count", async () => {
      const own = await get(acme.id, annToken);
      expect(own.status, JSON.stringify(own.json)).toBe(200);
      expect(own.json).toMatchObject({ id: acme.id, name: "Acme", groups: ["admin"], member_count: 2 });
      const other = await get(globex.id, annToken);
      expect(other.json).toMatchObject({ id: globex.id, groups: ["editor", "uploader"], member_count: 1 });
    });

    it.each([
      { what: "another company's id", id: () => initech.id },
      { what: "a suspended company's id", id: () => suspended.id },
      { what: "an id that exists nowhere", id: () => crypto.randomUUID() },
    ])("$what → 404, never 403", async ({ id }) => {
      const companyId = id();
      const error = expectEnvelope(await get(companyId, annToken), 404, "NOT_FOUND");
      expect(error.message).toBe(`Company ${companyId} not found among your companies`);
    });

    it("an API key → 404 for any company but its own", async () => {
      const key = await keyFor(acme, ["admin"]);
      expect((await get(acme.id, key)).status).toBe(200);
      expectEnvelope(await get(globex.id, key), 404, "NOT_FOUND");
    });

    it("an id that is not a uuid → 400 naming it", async () => {
      const error = expectEnvelope(await get("42", annToken), 400, "VALIDATION_ERROR");
      expect(error.message).toMatch(/^Invalid path\.id: /);
    });
  });

  describe("PUT /api/companies/{id}", () => {
    it("its admin renames it (trimmed); the slug stays; the new name is stored", async () => {
      const result = await put(acme.id, { name: "  Acme Holdings  " }, annToken);
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json).toMatchObject({ id: acme.id, name: "Acme Holdings", slug: acme.slug, member_count: 2 });
      expect(await nameOf(acme)).toBe("Acme Holdings");
      expect((await get(acme.id, annToken)).json).toMatchObject({ name: "Acme Holdings" });
    });

    it("an admin API key renames its own company", async () => {
      const key = await keyFor(acme, ["admin"]);
      expect((await put(acme.id, { name: "Acme" }, key)).status).toBe(200);
      expect(await nameOf(acme)).toBe("Acme");
    });

    it.each([
      { who: "an editor of the company", bearer: () => acmeEditorToken, company: () => acme },
      { who: "an editor there who is admin where they act", bearer: () => annToken, company: () => globex },
      { who: "an editor API key", bearer: () => keyFor(acme, ["editor"]), company: () => acme },
    ])("$who → 403, name unchanged", async ({ bearer, company }) => {
      const before = await nameOf(company());
      const result = await put(company().id, { name: "Taken Over" }, await bearer());
      const error = expectEnvelope(result, 403, "FORBIDDEN");
      expect(error.message).toBe(`Only an admin of '${before}' can rename it`);
      expect(await nameOf(company())).toBe(before);
    });

    it.each([
      { what: "another company's id", company: () => initech },
      { what: "a suspended company's id (where the caller is admin)", company: () => suspended },
    ])("$what → 404, name unchanged", async ({ company }) => {
      const before = await nameOf(company());
      expectEnvelope(await put(company().id, { name: "Taken Over" }, annToken), 404, "NOT_FOUND");
      expect(await nameOf(company())).toBe(before);
    });

    it.each([
      { body: { name: "   " }, reason: "Enter the company's name" },
      { body: { name: "x".repeat(101) }, reason: "Use at most 100 characters" },
      { body: { name: 42 }, reason: anyString },
      { body: {}, reason: anyString },
    ])("$body → 400 naming body.name, name unchanged", async ({ body, reason }) => {
      const result = await put(acme.id, body, annToken);
      const error = expectEnvelope(result, 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [{ field: "body.name", reason }] });
      expect(await nameOf(acme)).toBe("Acme");
    });

    it("100 characters is the longest name", async () => {
      const longest = "y".repeat(100);
      expect((await put(acme.id, { name: longest }, annToken)).status).toBe(200);
      expect(await nameOf(acme)).toBe(longest);
      await put(acme.id, { name: "Acme" }, annToken);
    });
  });
});
