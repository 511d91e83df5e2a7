import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as revokeKey } from "@/app/api/api-keys/[id]/route";
import { GET as listKeys, POST as createKey } from "@/app/api/api-keys/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { apiKeys, type Company, type Group } from "@/db/schema";
import { createCompanyApiKey } from "@/lib/auth/api-key-admin";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";

type KeyJson = { id: string; name: string; prefix: string; groups: Group[]; key?: string } & Record<string, unknown>;

const create = (bearer: string, body: unknown) => call(createKey, "/api/api-keys", { bearer, body });
const list = (bearer: string) => call(listKeys, "/api/api-keys", { bearer });
const revoke = (bearer: string, id: string) =>
  call(revokeKey, `/api/api-keys/${id}`, { bearer, method: "DELETE", params: { id } });
const jobsWith = (bearer: string) => call(listJobs, "/api/jobs", { bearer });

function created(result: CallResult): KeyJson & { key: string } {
  expect(result.status, JSON.stringify(result.json)).toBe(201);
  return result.json as KeyJson & { key: string };
}

describeEachBackend("API key routes", (database) => {
  let company: Company;
  let admin: TestUser;
  let adminToken: string;

  beforeAll(async () => {
    company = await createCompany(database.db, "Keys A");
    admin = await createUser(database.db, { name: "Ada Admin", memberOf: [{ company, groups: ["admin"] }] });
    const signedIn = await call(login, "/api/auth/login", { body: { email: admin.email, password: admin.password } });
    expect(signedIn.status, JSON.stringify(signedIn.json)).toBe(200);
    adminToken = (signedIn.json as { access_token: string }).access_token;
  });

  it("creates a key whose secret is shown once, works on the API, and fails with 401 once revoked", async () => {
    const key = created(await create(adminToken, { name: "Nightly import", groups: ["viewer", "uploader"] }));
    expect(key).toEqual({
      id: anyString,
      name: "Nightly import",
      prefix: key.key.slice(0, 9),
      groups: ["viewer", "uploader"],
      created_by: { id: admin.id, email: admin.email, name: "Ada Admin" },
      created_at: anyString,
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
      key: expect.stringMatching(/^ik_/) as unknown,
    });

    const listed = await list(adminToken);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.json)).not.toContain(key.key);
    const entry = (listed.json.api_keys as KeyJson[]).find((each) => each.id === key.id);
    expect(entry).toMatchObject({ name: "Nightly import", prefix: key.prefix, revoked_at: null });
    expect(Object.keys(entry ?? {})).not.toContain("key");
    expect(Object.keys(entry ?? {})).not.toContain("key_hash");

    expect((await jobsWith(key.key)).status).toBe(200);
    const used = (await list(adminToken)).json.api_keys as KeyJson[];
    expect(used.find((each) => each.id === key.id)?.last_used_at).toEqual(anyString);

    const revoked = await revoke(adminToken, key.id);
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    expect(revoked.json).toMatchObject({ id: key.id, revoked_at: anyString });
    const error = expectEnvelope(await jobsWith(key.key), 401, "AUTHENTICATION_FAILED");
    expect(error.message).toMatch(/revoked/);

    // Revoking again changes nothing: the same answer, the first revocation time kept.
    const again = await revoke(adminToken, key.id);
    expect(again.status).toBe(200);
    expect(again.json.revoked_at).toBe(revoked.json.revoked_at);
  });

  it.each([
    { permissions: ["read"], groups: ["viewer"] },
    { permissions: ["write"], groups: ["uploader", "editor"] },
    { permissions: ["read", "write"], groups: ["viewer", "uploader", "editor"] },
    { permissions: ["write", "read", "write"], groups: ["viewer", "uploader", "editor"] },
  ])("seed 003's permissions $permissions give the groups $groups", async ({ permissions, groups }) => {
    const key = created(await create(adminToken, { name: "seed client", permissions }));
    expect(key.groups).toEqual(groups);
    expect((await jobsWith(key.key)).status).toBe(200);
  });

  it.each([
    { what: "an empty name", body: { name: "  ", groups: ["viewer"] }, field: /name/ },
    { what: "no name", body: { groups: ["viewer"] }, field: /name/ },
    { what: "neither groups nor permissions", body: { name: "k" }, field: /groups or permissions/ },
    {
      what: "both groups and permissions",
      body: { name: "k", groups: ["viewer"], permissions: ["read"] },
      field: /not both/,
    },
    { what: "an unknown group", body: { name: "k", groups: ["owner"] }, field: /groups/ },
    { what: "an unknown permission", body: { name: "k", permissions: ["delete"] }, field: /permissions/ },
    { what: "no groups", body: { name: "k", groups: [] }, field: /groups/ },
    {
      what: "a past expiry",
      body: { name: "k", groups: ["viewer"], expires_at: "2020-01-01T00:00:00Z" },
      field: /expires_at/,
    },
    {
      what: "an expiry that is no date",
      body: { name: "k", groups: ["viewer"], expires_at: "tomorrow" },
      field: /expires_at/,
    },
  ])("refuses $what with 400 naming the problem", async ({ body, field }) => {
    const before = (await list(adminToken)).json.api_keys as KeyJson[];
    const error = expectEnvelope(await create(adminToken, body), 400, "VALIDATION_ERROR");
    expect(error.message + JSON.stringify(error.details)).toMatch(field);
    expect((await list(adminToken)).json.api_keys).toHaveLength(before.length);
  });

  it("a key past its expiry gets 401; one still valid works", async () => {
    const soon = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const key = created(await create(adminToken, { name: "short-lived", groups: ["viewer"], expires_at: soon }));
    expect(key.expires_at).toBe(soon);
    expect((await jobsWith(key.key)).status).toBe(200);
    await database.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, key.id));
    const error = expectEnvelope(await jobsWith(key.key), 401, "AUTHENTICATION_FAILED");
    expect(error.message).toMatch(/expired/);
  });

  it("an admin API key manages keys; keys of other groups get 403", async () => {
    const adminKey = await keyFor(company, ["admin"]);
    const made = created(await create(adminKey, { name: "made by a key", groups: ["editor"] }));
    expect(made.created_by).toBeNull();
    for (const groups of [["viewer"], ["uploader", "editor"]] as Group[][]) {
      const bearer = await keyFor(company, groups);
      expectEnvelope(await create(bearer, { name: "x", groups: ["viewer"] }), 403, "FORBIDDEN");
      expectEnvelope(await list(bearer), 403, "FORBIDDEN");
      expectEnvelope(await revoke(bearer, made.id), 403, "FORBIDDEN");
    }
  });

  describe("no privilege escalation", () => {
    // The routes let only admins in, and an admin holds every group; the rule itself guards any
    // caller the routes may let in later, so it is shown here with the contexts such callers have.
    it.each([
      { held: ["uploader"], asked: ["uploader", "editor"], beyond: "editor" },
      { held: ["viewer"], asked: ["admin"], beyond: "admin" },
      { held: ["editor", "uploader"], asked: ["admin", "viewer"], beyond: "admin" },
    ] as { held: Group[]; asked: Group[]; beyond: string }[])(
      "a key of $held may not make a key of $asked",
      async ({ held, asked, beyond }) => {
        const ctx = {
          method: "api_key" as const,
          companyId: company.id,
          companyName: company.name,
          companySlug: company.slug,
          groups: held,
          user: null,
          apiKey: { id: "caller", name: "caller" },
        };
        const count = async () =>
          (await database.db.select().from(apiKeys).where(eq(apiKeys.companyId, company.id))).length;
        const before = await count();
        await expect(
          createCompanyApiKey(ctx, { name: "escalated", groups: asked, expiresAt: null }),
        ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining(beyond) as unknown });
        expect(await count()).toBe(before);
      },
    );
  });

  it("another company's key id, or an unknown one, is 404 and the key stays as it was", async () => {
    const other = await createCompany(database.db, "Keys B");
    const otherAdminKey = await keyFor(other, ["admin"]);
    const otherKey = created(await create(otherAdminKey, { name: "B's key", groups: ["viewer"] }));

    expectEnvelope(await revoke(adminToken, otherKey.id), 404, "NOT_FOUND");
    expectEnvelope(await revoke(adminToken, crypto.randomUUID()), 404, "NOT_FOUND");
    expectEnvelope(await revoke(adminToken, "not-a-uuid"), 400, "VALIDATION_ERROR");

    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, otherKey.id));
    expect(row?.revokedAt).toBeNull();
    expect((await jobsWith(otherKey.key)).status).toBe(200);
    const mine = (await list(adminToken)).json.api_keys as KeyJson[];
    expect(mine.map((each) => each.id)).not.toContain(otherKey.id);
  });
});
