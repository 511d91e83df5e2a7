import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { DELETE as deleteTenant, GET as getTenant, PUT as putTenant } from "@/app/api/admin/tenants/[id]/route";
import { GET as listTenants, POST as createTenant } from "@/app/api/admin/tenants/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { auditEvents, users, type Company } from "@/db/schema";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";

// The removal itself is tenant-deletion.test.ts's: here the event is only handed over, so the tenant stays "deleting".
const dispatched = vi.hoisted(() => vi.fn((_event: unknown) => Promise.resolve()));
vi.mock(import("@/lib/background/dispatch"), async (importOriginal) => ({
  ...(await importOriginal()),
  dispatch: dispatched,
}));

type TenantJson = Record<string, unknown> & { id: string; name: string; status: string };

const list = (bearer: string | undefined, query = "") => call(listTenants, `/api/admin/tenants${query}`, { bearer });
const create = (bearer: string | undefined, body: unknown) =>
  call(createTenant, "/api/admin/tenants", { bearer, body });
const get = (bearer: string | undefined, id: string) =>
  call(getTenant, `/api/admin/tenants/${id}`, { bearer, params: { id } });
const put = (bearer: string | undefined, id: string, body: unknown) =>
  call(putTenant, `/api/admin/tenants/${id}`, { bearer, method: "PUT", body, params: { id } });
const remove = (bearer: string | undefined, id: string) =>
  call(deleteTenant, `/api/admin/tenants/${id}`, { bearer, method: "DELETE", params: { id } });

function ok<T = TenantJson>(result: CallResult, status = 200): T {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  return result.json as T;
}

async function accessToken(user: TestUser): Promise<string> {
  const result = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
  return ok<{ access_token: string }>(result).access_token;
}

describeEachBackend("tenant routes (platform administration)", (database) => {
  let home: Company;
  let platformAdmin: string;
  let companyAdmin: string;
  let companyAdminKey: string;

  beforeAll(async () => {
    home = await createCompany(database.db, "Platform home");
    const admin = await createUser(database.db, { memberOf: [{ company: home, groups: ["viewer"] }] });
    await database.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
    platformAdmin = await accessToken(admin);
    companyAdmin = await accessToken(
      await createUser(database.db, { memberOf: [{ company: home, groups: ["admin"] }] }),
    );
    companyAdminKey = await keyFor(home, ["admin"]);
  });

  it("creates a tenant with a new first admin, who signs in to it; the creation is in the tenant's audit trail", async () => {
    const email = `first-${unique()}@example.com`;
    const created = ok(
      await create(platformAdmin, { name: "Globex Corp", admin_email: email, admin_password: "s3cret-pass" }),
      201,
    );
    expect(created).toEqual({
      id: anyString,
      name: "Globex Corp",
      slug: "globex-corp",
      is_active: true,
      status: "active",
      rate_limit_per_minute: 1000,
      rate_limit_per_hour: 50_000,
      rate_limit_per_day: 1_000_000,
      member_count: 1,
      job_count: 0,
      contact_count: 0,
      deletion_requested_at: null,
      deletion_progress: null,
      created_at: anyString,
      updated_at: anyString,
      admin: { id: anyString, email, created: true, invitation_url: null, invitation_expires_at: null },
    });
    const signedIn = await call(login, "/api/auth/login", {
      body: { email, password: "s3cret-pass", company_id: created.id },
    });
    expect(signedIn.status, JSON.stringify(signedIn.json)).toBe(200);

    // Same name again: another slug, never another company's.
    const twin = ok(await create(platformAdmin, { name: "Globex Corp" }), 201);
    expect(twin.slug).toMatch(/^globex-corp-[0-9a-f]{6}$/);
    expect(twin.admin).toBeNull();
    expect(twin.member_count).toBe(0);

    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.companyId, created.id), eq(auditEvents.action, "tenant.created")));
    expect(audit?.details).toEqual({
      before: null,
      after: { name: "Globex Corp", slug: "globex-corp", first_admin: email },
    });
  });

  it("makes an existing account the first admin without touching its password; a password for it is refused", async () => {
    const existing = await createUser(database.db);
    const refused = await create(platformAdmin, {
      name: "Initech",
      admin_email: existing.email,
      admin_password: "another-pass",
    });
    expect(expectEnvelope(refused, 409, "CONFLICT").message).toMatch(/exists already/);
    const created = ok(await create(platformAdmin, { name: "Initech", admin_email: existing.email }), 201);
    expect(created.admin).toMatchObject({ id: existing.id, email: existing.email, created: false });
    const signedIn = await call(login, "/api/auth/login", {
      body: { email: existing.email, password: existing.password, company_id: created.id },
    });
    expect(signedIn.status).toBe(200);
  });

  it("invites a new first admin: the link is returned once, and the invitation is in the tenant's audit trail", async () => {
    const email = `invited-${unique()}@example.com`;
    const created = ok(
      await create(platformAdmin, {
        name: `Invited ${unique()}`,
        admin_email: email,
        admin_name: "Ivy Invited",
        admin_invite: true,
      }),
      201,
    );
    expect(created.admin).toEqual({
      id: anyString,
      email,
      created: true,
      invitation_url: expect.stringMatching(/\/invite\/inv_/) as unknown,
      invitation_expires_at: anyString,
    });
    expect(created.member_count).toBe(1);
    const actions = await database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.companyId, created.id))
      .orderBy(auditEvents.id);
    expect(actions.map((each) => each.action)).toEqual(["tenant.created", "member.added", "member.invited"]);
  });

  it.each([
    { body: {}, field: "body.name" },
    { body: { name: "   " }, field: "body.name" },
    { body: { name: "x".repeat(101) }, field: "body.name" },
    { body: { name: "Hooli", admin_email: "not-an-email" }, field: "body.admin_email" },
    { body: { name: "Hooli", admin_email: "a@example.com", admin_password: "short" }, field: "body.admin_password" },
    { body: { name: "Hooli", admin_email: `new-${unique()}@example.com` }, field: "body.admin_password" },
    { body: { name: "Hooli", admin_password: "long-enough" }, field: "body.admin_email" },
    { body: { name: "Hooli", admin_invite: true }, field: "body.admin_email" },
    {
      body: { name: "Hooli", admin_email: "b@example.com", admin_password: "long-enough", admin_invite: true },
      field: "body.admin_invite",
    },
  ])("POST refuses $body naming $field", async ({ body, field }) => {
    const error = expectEnvelope(await create(platformAdmin, body), 400, "VALIDATION_ERROR");
    expect(error.message).toContain(field);
  });

  it("lists every tenant, paged, with its counts", async () => {
    const extra = ok(await create(platformAdmin, { name: `Listed ${unique()}` }), 201);
    const first = ok<{ tenants: TenantJson[]; total: number; page: number; page_size: number }>(
      await list(platformAdmin, "?page_size=1"),
    );
    expect(first.tenants).toHaveLength(1);
    expect(first.page_size).toBe(1);
    expect(first.total).toBeGreaterThanOrEqual(2);
    const all = ok<{ tenants: TenantJson[] }>(await list(platformAdmin, "?page_size=200")).tenants;
    expect(all.map((tenant) => tenant.id)).toEqual(expect.arrayContaining([home.id, extra.id]));
    expect(all.find((tenant) => tenant.id === home.id)).toMatchObject({ member_count: 2, status: "active" });
    expectEnvelope(await list(platformAdmin, "?page=0"), 400, "VALIDATION_ERROR");
  });

  it.each([
    { body: {}, field: "body" },
    { body: { rate_limit_per_minute: 0 }, field: "body.rate_limit_per_minute" },
    { body: { rate_limit_per_hour: -5 }, field: "body.rate_limit_per_hour" },
    { body: { rate_limit_per_day: 1.5 }, field: "body.rate_limit_per_day" },
    { body: { rate_limit_per_day: "100" }, field: "body.rate_limit_per_day" },
    { body: { rate_limit_per_minute: 2 ** 31 }, field: "body.rate_limit_per_minute" },
    { body: { is_active: "no" }, field: "body.is_active" },
    { body: { name: "" }, field: "body.name" },
  ])("PUT refuses $body naming $field", async ({ body, field }) => {
    const error = expectEnvelope(await put(platformAdmin, home.id, body), 400, "VALIDATION_ERROR");
    expect(error.message).toContain(field);
  });

  it("sets a tenant's name and rate limits, recording before and after in its audit trail", async () => {
    const tenant = ok(await create(platformAdmin, { name: `Limits ${unique()}` }), 201);
    const updated = ok(
      await put(platformAdmin, tenant.id, { name: "Limited Inc", rate_limit_per_minute: 60, rate_limit_per_day: 5000 }),
    );
    expect(updated).toMatchObject({
      name: "Limited Inc",
      rate_limit_per_minute: 60,
      rate_limit_per_hour: 50_000,
      rate_limit_per_day: 5000,
    });
    expect(ok(await get(platformAdmin, tenant.id))).toMatchObject({ name: "Limited Inc", rate_limit_per_minute: 60 });
    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.companyId, tenant.id), eq(auditEvents.action, "tenant.updated")));
    expect(audit?.details).toEqual({
      before: { name: tenant.name, rateLimitPerMinute: 1000, rateLimitPerDay: 1_000_000 },
      after: { name: "Limited Inc", rateLimitPerMinute: 60, rateLimitPerDay: 5000 },
    });
  });

  it("a suspended tenant's API key and member get 403 saying so; reactivated, both work again", async () => {
    const tenant = await createCompany(database.db, "Suspended Co");
    const key = await keyFor(tenant, ["viewer"]);
    const memberUser = await createUser(database.db, { memberOf: [{ company: tenant, groups: ["viewer"] }] });
    const member = await accessToken(memberUser);
    expect((await call(listJobs, "/api/jobs", { bearer: key })).status).toBe(200);

    expect(ok(await put(platformAdmin, tenant.id, { is_active: false }))).toMatchObject({
      is_active: false,
      status: "suspended",
    });
    for (const bearer of [key, member]) {
      const error = expectEnvelope(await call(listJobs, "/api/jobs", { bearer }), 403, "FORBIDDEN");
      expect(error.message).toBe(
        "The company 'Suspended Co' is suspended by the platform administrators; nothing can be done in it until it is reactivated",
      );
    }

    // Nor can its member sign in to the API: told the same, not that they belong nowhere.
    const refusedLogin = await call(login, "/api/auth/login", {
      body: { email: memberUser.email, password: memberUser.password },
    });
    expect(expectEnvelope(refusedLogin, 403, "FORBIDDEN").message).toMatch(/^The company 'Suspended Co' is suspended/);

    ok(await put(platformAdmin, tenant.id, { is_active: true }));
    for (const bearer of [key, member]) expect((await call(listJobs, "/api/jobs", { bearer })).status).toBe(200);
  });

  it("refuses to suspend or delete the company the platform admin acts in (it would lock them out)", async () => {
    expect(expectEnvelope(await put(platformAdmin, home.id, { is_active: false }), 409, "CONFLICT").message).toMatch(
      /switch to another company before you suspend it/,
    );
    expect(expectEnvelope(await remove(platformAdmin, home.id), 409, "CONFLICT").message).toMatch(
      /before you delete it/,
    );
    expect(ok(await get(platformAdmin, home.id))).toMatchObject({ is_active: true, status: "active" });
  });

  it("a tenant being deleted is listed as deleting and can no longer change; deleting again answers 202", async () => {
    const tenant = await createCompany(database.db, "Going Co");
    dispatched.mockClear();
    const deleting = ok(await remove(platformAdmin, tenant.id), 202);
    expect(dispatched).toHaveBeenLastCalledWith({
      name: "app/tenant.deletion-requested",
      data: { companyId: tenant.id },
    });
    expect(deleting).toMatchObject({ status: "deleting", deletion_requested_at: anyString, deletion_progress: {} });
    const refused = await put(platformAdmin, tenant.id, { name: "Back" });
    expect(expectEnvelope(refused, 409, "CONFLICT").message).toMatch(/is being deleted/);
    expect(ok(await remove(platformAdmin, tenant.id), 202).deletion_requested_at).toBe(deleting.deletion_requested_at);
    expect(dispatched).toHaveBeenCalledTimes(2);
    const listed = ok<{ tenants: TenantJson[] }>(await list(platformAdmin, "?page_size=200")).tenants;
    expect(listed.find((each) => each.id === tenant.id)).toMatchObject({ status: "deleting" });
  });

  it.each([
    { route: "GET", send: (bearer: string, id: string) => get(bearer, id) },
    { route: "PUT", send: (bearer: string, id: string) => put(bearer, id, { name: "Nobody" }) },
    { route: "DELETE", send: (bearer: string, id: string) => remove(bearer, id) },
  ])("$route of an unknown tenant: 404; of a malformed id: 400", async ({ send }) => {
    const unknown = crypto.randomUUID();
    expect(expectEnvelope(await send(platformAdmin, unknown), 404, "NOT_FOUND").message).toBe(
      `Tenant ${unknown} not found`,
    );
    expectEnvelope(await send(platformAdmin, "not-a-uuid"), 400, "VALIDATION_ERROR");
  });

  it.each([
    { caller: "a company admin", bearer: () => companyAdmin, message: /your account is not one/ },
    { caller: "an admin API key", bearer: () => companyAdminKey, message: /an API key acts within its own company/ },
  ])("$caller gets 403 on every tenant route, and changes nothing", async ({ bearer, message }) => {
    for (const result of [
      await list(bearer()),
      await create(bearer(), { name: "Sneaky" }),
      await get(bearer(), home.id),
      await put(bearer(), home.id, { is_active: false }),
      await remove(bearer(), home.id),
    ]) {
      expect(expectEnvelope(result, 403, "FORBIDDEN").message).toMatch(message);
    }
    expect(ok(await get(platformAdmin, home.id))).toMatchObject({ status: "active" });
    expectEnvelope(await list(undefined), 401, "AUTHENTICATION_FAILED");
  });
});
