import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as me } from "@/app/api/auth/me/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import { DELETE as removeUser, GET as getUser, PUT as updateUser } from "@/app/api/users/[id]/route";
import { GET as listUsers, POST as createUser } from "@/app/api/users/route";
import { auditEvents, invitations, memberships, refreshTokens, users, type Company } from "@/db/schema";
import { userContext } from "@/lib/auth/bearer";
import { acceptInvitationWithPassword, openInvitation } from "@/lib/auth/invitations";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser as createTestUser, unique, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";

type UserJson = {
  id: string;
  email: string;
  name: string | null;
  groups: string[];
  is_active: boolean;
  invitation: { state: string; expires_at: string; accepted_at: string | null } | null;
} & Record<string, unknown>;
type CreatedJson = UserJson & { existing_account: boolean; invitation_url: string | null; notice: string };
type Pair = { access_token: string; refresh_token: string };

const list = (bearer: string, query = "") => call(listUsers, `/api/users${query}`, { bearer });
const add = (bearer: string, body: unknown) => call(createUser, "/api/users", { bearer, body });
const get = (bearer: string, id: string) => call(getUser, `/api/users/${id}`, { bearer, params: { id } });
const update = (bearer: string, id: string, body: unknown) =>
  call(updateUser, `/api/users/${id}`, { bearer, method: "PUT", body, params: { id } });
const remove = (bearer: string, id: string) =>
  call(removeUser, `/api/users/${id}`, { bearer, method: "DELETE", params: { id } });

async function signIn(email: string | null, password: string, companyId?: string): Promise<Pair> {
  const result = await call(login, "/api/auth/login", { body: { email, password, company_id: companyId } });
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json as Pair;
}

function created(result: CallResult): CreatedJson {
  expect(result.status, JSON.stringify(result.json)).toBe(201);
  return result.json as CreatedJson;
}

const tokenOf = (url: string) => decodeURIComponent(url.slice(url.lastIndexOf("/") + 1));

describeEachBackend("member routes", (database) => {
  let company: Company;
  let admin: TestUser;
  let adminToken: string;
  let viewerToken: string;

  const auditOf = async (action: string, targetId: string) =>
    database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)))
      .orderBy(desc(auditEvents.id));

  beforeAll(async () => {
    company = await createCompany(database.db, "Members A");
    admin = await createTestUser(database.db, { name: "Ada Admin", memberOf: [{ company, groups: ["admin"] }] });
    adminToken = (await signIn(admin.email, admin.password)).access_token;
    const viewer = await createTestUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    viewerToken = (await signIn(viewer.email, viewer.password)).access_token;
  });

  describe("adding members", () => {
    it("with a password: a new account that signs in with it, in this company, with its groups", async () => {
      const email = `new-${unique()}@example.com`;
      const body = created(
        await add(adminToken, { email, name: "Nora New", groups: ["editor", "editor"], password: "a-good-password" }),
      );
      expect(body).toMatchObject({
        id: anyString,
        email,
        name: "Nora New",
        groups: ["editor"],
        is_active: true,
        has_password: true,
        invitation: null,
        existing_account: false,
        invitation_url: null,
      });
      expect(body.notice).toMatch(/added with the groups editor/);
      const pair = await signIn(email, "a-good-password");
      const whoAmI = await call(me, "/api/auth/me", { bearer: pair.access_token });
      expect(whoAmI.json).toMatchObject({ company: { id: company.id }, groups: ["editor"] });

      const [event] = await auditOf("member.added", body.id);
      expect(event).toMatchObject({ companyId: company.id, actorUserId: admin.id });
      expect(event?.details).toEqual({
        before: null,
        after: { email, name: "Nora New", groups: ["editor"], active: true, existing_account: false },
      });
      expect(JSON.stringify(event?.details)).not.toContain("a-good-password");
    });

    it("with an invitation: a one-time link from the app's address, stored only as a hash, accepted once", async () => {
      const email = `invited-${unique()}@example.com`;
      const body = created(await add(adminToken, { email, name: "Ivy Invited", groups: ["viewer"], invite: true }));
      expect(body.invitation_url).toMatch(/^http:\/\/localhost:3000\/invite\/inv_[\w-]{40,}$/);
      expect(body).toMatchObject({ has_password: false, existing_account: false, invitation: { state: "pending" } });
      const token = tokenOf(body.invitation_url ?? "");
      const stored = await database.db.select().from(invitations).where(eq(invitations.userId, body.id));
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(token);
      expect((await auditOf("member.invited", stored[0]?.id ?? "")).length).toBe(1);

      const opened = await openInvitation(token);
      expect(opened).toMatchObject({ companyName: "Members A", email, state: "pending" });
      expectEnvelope(
        await call(login, "/api/auth/login", { body: { email, password: "chosen-password" } }),
        401,
        "AUTHENTICATION_FAILED",
      );

      expect(await acceptInvitationWithPassword({ token, password: "chosen-password" })).toEqual({
        email,
        companyName: "Members A",
      });
      await signIn(email, "chosen-password");
      expect((await get(adminToken, body.id)).json).toMatchObject({
        has_password: true,
        invitation: { state: "accepted", accepted_at: anyString },
      });
      const [accepted] = await auditOf("member.invitation_accepted", body.id);
      expect(accepted).toMatchObject({ companyId: company.id, actorUserId: body.id });

      await expect(acceptInvitationWithPassword({ token, password: "another-password" })).rejects.toThrow(
        /already used/,
      );
      await signIn(email, "chosen-password");
    });

    it("an expired invitation says so and sets nothing; an unknown link says it is not valid", async () => {
      const email = `late-${unique()}@example.com`;
      const body = created(await add(adminToken, { email, name: "Lee Late", groups: ["viewer"], invite: true }));
      await database.db
        .update(invitations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(invitations.userId, body.id));
      expect((await get(adminToken, body.id)).json).toMatchObject({ invitation: { state: "expired" } });
      const token = tokenOf(body.invitation_url ?? "");
      await expect(acceptInvitationWithPassword({ token, password: "chosen-password" })).rejects.toThrow(/expired/);
      const [account] = await database.db.select().from(users).where(eq(users.id, body.id));
      expect(account?.passwordHash).toBeNull();
      await expect(acceptInvitationWithPassword({ token: `${token}x`, password: "chosen-password" })).rejects.toThrow(
        /not valid/,
      );
    });

    it("an existing account of another company joins as it is: its password unchanged, no invitation", async () => {
      const other = await createCompany(database.db, "Members elsewhere");
      const outsider = await createTestUser(database.db, {
        name: "Otto",
        memberOf: [{ company: other, groups: ["admin"] }],
      });
      const body = created(
        await add(adminToken, {
          email: outsider.email?.toUpperCase(),
          name: "Ignored",
          groups: ["uploader"],
          invite: true,
        }),
      );
      expect(body).toMatchObject({
        id: outsider.id,
        name: "Otto",
        groups: ["uploader"],
        existing_account: true,
        invitation_url: null,
        invitation: null,
      });
      expect(body.notice).toMatch(/already had an Intake account.*password is unchanged/);
      const pair = await signIn(outsider.email, outsider.password, company.id);
      expect((await call(me, "/api/auth/me", { bearer: pair.access_token })).json).toMatchObject({
        groups: ["uploader"],
      });
    });

    it("an email that is a member already: 409, whatever its case", async () => {
      const error = expectEnvelope(
        await add(adminToken, {
          email: admin.email?.toUpperCase(),
          name: "Again",
          groups: ["viewer"],
          password: "a-good-password",
        }),
        409,
        "CONFLICT",
      );
      expect(error.message).toMatch(/already a member of Members A/);

      const idle = await createTestUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
      expect((await update(adminToken, idle.id, { active: false })).status).toBe(200);
      const again = await add(adminToken, { email: idle.email, name: "Idle", groups: ["viewer"], invite: true });
      expect(expectEnvelope(again, 409, "CONFLICT").message).toMatch(/deactivated member of Members A: reactivate/);
    });

    it("two admins adding the same new email at once: one account, one 201 and one 409", async () => {
      const email = `twice-${unique()}@example.com`;
      const body = { email, name: "Tess Twice", groups: ["viewer"], invite: true };
      const results = await Promise.all([add(adminToken, body), add(adminToken, body)]);
      expect(results.map((result) => result.status).sort()).toEqual([201, 409]);
      const accounts = await database.db.select().from(users).where(eq(users.email, email));
      expect(accounts).toHaveLength(1);
    });

    it.each([
      { what: "neither password nor invitation", body: { groups: ["viewer"] }, field: /password, or invite/ },
      {
        what: "both a password and an invitation",
        body: { groups: ["viewer"], password: "a-good-password", invite: true },
        field: /not both/,
      },
      { what: "a password too short", body: { groups: ["viewer"], password: "short" }, field: /body.password/ },
      { what: "no groups", body: { groups: [], invite: true }, field: /at least one group/ },
      { what: "an unknown group", body: { groups: ["owner"], invite: true }, field: /body.groups/ },
      { what: "a bad email", body: { email: "not-an-email", groups: ["viewer"], invite: true }, field: /body.email/ },
      { what: "a blank name", body: { name: "  ", groups: ["viewer"], invite: true }, field: /body.name/ },
    ])("refuses $what with 400 naming it, and adds nobody", async ({ body, field }) => {
      const before = (await list(adminToken)).json.total;
      const request = { email: `refused-${unique()}@example.com`, name: "Rae", ...body };
      const error = expectEnvelope(await add(adminToken, request), 400, "VALIDATION_ERROR");
      expect(error.message + JSON.stringify(error.details)).toMatch(field);
      expect((await list(adminToken)).json.total).toBe(before);
    });

    it("only admins add members", async () => {
      expectEnvelope(
        await add(viewerToken, { email: `x-${unique()}@example.com`, name: "X", groups: ["viewer"], invite: true }),
        403,
        "FORBIDDEN",
      );
    });
  });

  describe("reading members", () => {
    it("any member lists the company's members a page at a time, and reads one", async () => {
      const all = await list(viewerToken, "?page_size=200");
      expect(all.status).toBe(200);
      const everyone = all.json.users as UserJson[];
      expect(all.json.total).toBe(everyone.length);
      expect(everyone.map((user) => user.email)).toContain(admin.email);
      const page = await list(viewerToken, "?page=2&page_size=1");
      expect(page.json).toMatchObject({ page: 2, page_size: 1, total: everyone.length });
      expect((page.json.users as UserJson[]).map((user) => user.id)).toEqual([everyone[1]?.id]);
      const one = await get(viewerToken, admin.id);
      expect(one.json).toMatchObject({ id: admin.id, groups: ["admin"], is_active: true, last_sign_in_at: anyString });
    });

    it("another company's member is not found, and not listed", async () => {
      const other = await createCompany(database.db);
      const stranger = await createTestUser(database.db, { memberOf: [{ company: other, groups: ["admin"] }] });
      expectEnvelope(await get(adminToken, stranger.id), 404, "NOT_FOUND");
      const everyone = (await list(adminToken, "?page_size=200")).json.users as UserJson[];
      expect(everyone.map((user) => user.id)).not.toContain(stranger.id);
    });
  });

  describe("changing and removing members", () => {
    it("changes name, groups and active state, recording before and after", async () => {
      const member = await createTestUser(database.db, { name: "Cam", memberOf: [{ company, groups: ["viewer"] }] });
      const changed = await update(adminToken, member.id, { name: "Cam Changed", groups: ["editor", "uploader"] });
      expect(changed.status, JSON.stringify(changed.json)).toBe(200);
      expect(changed.json).toMatchObject({ name: "Cam Changed", groups: ["editor", "uploader"], is_active: true });
      const [event] = await auditOf("member.updated", member.id);
      expect(event?.details).toEqual({
        before: { email: member.email, name: "Cam", groups: ["viewer"], active: true },
        after: { email: member.email, name: "Cam Changed", groups: ["editor", "uploader"], active: true },
      });
      expect((await update(adminToken, member.id, { is_active: false })).json).toMatchObject({ is_active: false });
      expect((await update(adminToken, member.id, { active: true })).json).toMatchObject({ is_active: true });
      expect(await auditOf("member.updated", member.id)).toHaveLength(3);
    });

    it.each([
      { what: "an empty change", body: {}, field: /at least one/ },
      { what: "active and is_active that disagree", body: { active: true, is_active: false }, field: /disagree/ },
      { what: "no groups", body: { groups: [] }, field: /at least one group/ },
    ])("refuses $what with 400", async ({ body, field }) => {
      const error = expectEnvelope(await update(adminToken, admin.id, body), 400, "VALIDATION_ERROR");
      expect(error.message + JSON.stringify(error.details)).toMatch(field);
    });

    it("the name of someone who also belongs to another company is theirs to change: 409", async () => {
      const other = await createCompany(database.db);
      const shared = await createTestUser(database.db, {
        name: "Sam",
        memberOf: [
          { company, groups: ["viewer"] },
          { company: other, groups: ["viewer"] },
        ],
      });
      const error = expectEnvelope(await update(adminToken, shared.id, { name: "Renamed" }), 409, "CONFLICT");
      expect(error.message).toMatch(/other companies.*Settings → Account/);
      expect((await update(adminToken, shared.id, { groups: ["editor"] })).status).toBe(200);
      const [account] = await database.db.select().from(users).where(eq(users.id, shared.id));
      expect(account?.name).toBe("Sam");
    });

    it("never leaves the company without an active admin; with a second admin the first may go", async () => {
      const solo = await createCompany(database.db, "Solo admin");
      const only = await createTestUser(database.db, { memberOf: [{ company: solo, groups: ["admin"] }] });
      const token = (await signIn(only.email, only.password)).access_token;
      for (const [change, word] of [
        [{ groups: ["editor"] }, "taken out of the admin group"],
        [{ active: false }, "deactivated"],
      ] as const) {
        const error = expectEnvelope(await update(token, only.id, change), 409, "CONFLICT");
        expect(error.message).toBe(
          `You are the company's last active admin and cannot be ${word}: make another member an admin first`,
        );
        expect(error.details).toMatchObject({ rule: "last_active_admin" });
      }
      expect(expectEnvelope(await remove(token, only.id), 409, "CONFLICT").message).toMatch(/cannot be removed/);
      const adminKey = await keyFor(solo, ["admin"]);
      expect(expectEnvelope(await remove(adminKey, only.id), 409, "CONFLICT").message).toMatch(
        /^This member is the company's last active admin/,
      );
      const [kept] = await database.db.select().from(memberships).where(eq(memberships.userId, only.id));
      expect(kept).toMatchObject({ groups: ["admin"], isActive: true });

      const second = await createTestUser(database.db, { memberOf: [{ company: solo, groups: ["viewer"] }] });
      expect((await update(token, second.id, { groups: ["admin"] })).status).toBe(200);
      // A deactivated admin does not count: the second admin deactivated, the first is the last again.
      expect((await update(token, second.id, { active: false })).status).toBe(200);
      expectEnvelope(await remove(token, only.id), 409, "CONFLICT");
      expect((await update(token, second.id, { active: true })).status).toBe(200);
      const removed = await remove(token, only.id);
      expect(removed.status, JSON.stringify(removed.json)).toBe(200);
      expect(await database.db.select().from(memberships).where(eq(memberships.userId, only.id))).toEqual([]);
      const [event] = await auditOf("member.removed", only.id);
      expect(event).toMatchObject({ actorUserId: only.id, companyId: solo.id });
      // The account stays: it keeps its name on what it did.
      expect(await database.db.select({ id: users.id }).from(users).where(eq(users.id, only.id))).toHaveLength(1);
    });

    it("only admins change or remove members", async () => {
      expectEnvelope(await update(viewerToken, admin.id, { groups: ["viewer"] }), 403, "FORBIDDEN");
      expectEnvelope(await remove(viewerToken, admin.id), 403, "FORBIDDEN");
    });
  });

  describe.each([
    { change: "deactivated", act: (id: string) => update(adminToken, id, { active: false }) },
    { change: "removed", act: (id: string) => remove(adminToken, id) },
  ])("a member $change loses access at their next request", ({ act }) => {
    it("their access token, refresh token and browser session all fail; other companies are untouched", async () => {
      const other = await createCompany(database.db, "Their other company");
      const member = await createTestUser(database.db, {
        memberOf: [
          { company, groups: ["editor"] },
          { company: other, groups: ["viewer"] },
        ],
      });
      const here = await signIn(member.email, member.password, company.id);
      const there = await signIn(member.email, member.password, other.id);
      const spare = await signIn(member.email, member.password, company.id);
      expect((await call(me, "/api/auth/me", { bearer: here.access_token })).status).toBe(200);
      expect((await userContext(member.id, company.id, "session")).companyId).toBe(company.id);

      expect((await act(member.id)).status).toBe(200);

      const access = expectEnvelope(await call(me, "/api/auth/me", { bearer: here.access_token }), 403, "FORBIDDEN");
      expect(access.message).toMatch(/no longer a member of the token's company/);
      expectEnvelope(
        await call(refresh, "/api/auth/refresh", { body: { refresh_token: spare.refresh_token } }),
        401,
        "AUTHENTICATION_FAILED",
      );
      const live = await database.db
        .select({ id: refreshTokens.id, revokedAt: refreshTokens.revokedAt })
        .from(refreshTokens)
        .where(and(eq(refreshTokens.userId, member.id), eq(refreshTokens.companyId, company.id)));
      expect(live.filter((token) => token.revokedAt === null)).toEqual([]);
      // The browser session (contextFromSession → userContext) no longer lands in the company.
      expect((await userContext(member.id, company.id, "session")).companyId).toBe(other.id);

      expect((await call(me, "/api/auth/me", { bearer: there.access_token })).status).toBe(200);
      const renewed = await call(refresh, "/api/auth/refresh", { body: { refresh_token: there.refresh_token } });
      expect(renewed.status, JSON.stringify(renewed.json)).toBe(200);
    });

    it("a member of this company only: the browser session ends altogether", async () => {
      const member = await createTestUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
      expect((await userContext(member.id, company.id, "session")).companyId).toBe(company.id);
      expect((await act(member.id)).status).toBe(200);
      await expect(userContext(member.id, company.id, "session")).rejects.toThrow(/not a member of any active company/);
    });
  });

  it("a refresh token held before a deactivation fails even after the member is reactivated", async () => {
    const member = await createTestUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    const pair = await signIn(member.email, member.password);
    expect((await update(adminToken, member.id, { active: false })).status).toBe(200);
    expect((await update(adminToken, member.id, { active: true })).status).toBe(200);
    expectEnvelope(
      await call(refresh, "/api/auth/refresh", { body: { refresh_token: pair.refresh_token } }),
      401,
      "AUTHENTICATION_FAILED",
    );
    await signIn(member.email, member.password);
  });
});
