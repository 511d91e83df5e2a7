import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as revokeKey } from "@/app/api/api-keys/[id]/route";
import { POST as createKey } from "@/app/api/api-keys/route";
import { GET as listAudit } from "@/app/api/audit/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as changePasswordRoute } from "@/app/api/auth/password/route";
import { PUT as updateCompany } from "@/app/api/companies/[id]/route";
import { apiKeys, auditEvents, users, type AuditEvent, type Company } from "@/db/schema";
import { renameCallerAccount, signOutCallerEverywhere } from "@/lib/auth/account";
import { userContext } from "@/lib/auth/bearer";
import { withRequestScope } from "@/lib/request-scope";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { anyString, call, expectEnvelope, matching, type CallResult } from "@/test/http";
import { keyFor } from "@/test/jobs";

type AuditEventJson = {
  id: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  actor: { type: string; id: string | null; email: string | null; name: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  created_at: string;
};
type AuditPageJson = { events: AuditEventJson[]; next_cursor: string | null };

const audit = (bearer: string, query = "") => call(listAudit, `/api/audit${query}`, { bearer });
const renameCompany = (company: Company, name: string, bearer: string) =>
  call(updateCompany, `/api/companies/${company.id}`, {
    method: "PUT",
    body: { name },
    bearer,
    params: { id: company.id },
  });

function page(result: CallResult): AuditPageJson {
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json as AuditPageJson;
}

describeEachBackend("audit trail", (database) => {
  let acme: Company;
  let globex: Company;
  let admin: TestUser;
  let adminToken: string;
  let globexAdminToken: string;

  const tokenOf = async (user: TestUser): Promise<string> => {
    const result = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    return (result.json as { access_token: string }).access_token;
  };
  /** Every event stored about that target, oldest first. */
  const eventsAbout = (targetId: string): Promise<AuditEvent[]> =>
    database.db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.id);
  /** Every page of the list, walked with next_cursor. */
  const walk = async (bearer: string, limit: number, filters = ""): Promise<AuditEventJson[]> => {
    const seen: AuditEventJson[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const query: string = `?limit=${limit}${filters}${cursor ? `&before=${cursor}` : ""}`;
      const result = page(await audit(bearer, query));
      expect(result.events.length).toBeLessThanOrEqual(limit);
      seen.push(...result.events);
      cursor = result.next_cursor;
      if (!cursor) return seen;
    }
    throw new Error("the cursor never ended");
  };

  beforeAll(async () => {
    acme = await createCompany(database.db, "Audit Acme");
    globex = await createCompany(database.db, "Audit Globex");
    admin = await createUser(database.db, { name: "Ada Admin", memberOf: [{ company: acme, groups: ["admin"] }] });
    adminToken = await tokenOf(admin);
    const globexAdmin = await createUser(database.db, { memberOf: [{ company: globex, groups: ["admin"] }] });
    globexAdminToken = await tokenOf(globexAdmin);
  });

  describe("each change writes exactly one event, with its actor, before → after and request id", () => {
    it("renaming the company (PUT /api/companies/{id}); saving the same name again records nothing", async () => {
      const renamed = await renameCompany(acme, "Audit Acme Ltd", adminToken);
      expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
      const again = await renameCompany(acme, "Audit Acme Ltd", adminToken);
      expect(again.status).toBe(200);

      const stored = await eventsAbout(acme.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        companyId: acme.id,
        actorUserId: admin.id,
        actorApiKeyId: null,
        action: "company.renamed",
        targetType: "company",
        details: { before: { name: "Audit Acme" }, after: { name: "Audit Acme Ltd" } },
        requestId: renamed.headers.get("x-request-id"),
      });

      const listed = page(await audit(adminToken, "?action=company.renamed"));
      expect(listed.events).toEqual([
        {
          id: String(stored[0]?.id),
          action: "company.renamed",
          target_type: "company",
          target_id: acme.id,
          actor: { type: "user", id: admin.id, email: admin.email, name: "Ada Admin" },
          before: { name: "Audit Acme" },
          after: { name: "Audit Acme Ltd" },
          request_id: renamed.headers.get("x-request-id"),
          created_at: anyString,
        },
      ]);
    });

    it("creating and revoking an API key: its name, prefix, groups and expiry, never its secret or hash; a second revoke records nothing", async () => {
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const createdResult = await call(createKey, "/api/api-keys", {
        bearer: adminToken,
        body: { name: "Nightly import", groups: ["viewer", "uploader"], expires_at: expiresAt },
        headers: { "x-request-id": `create-key-${unique()}` },
      });
      expect(createdResult.status, JSON.stringify(createdResult.json)).toBe(201);
      const key = createdResult.json as { id: string; key: string; prefix: string };
      const revoke = () =>
        call(revokeKey, `/api/api-keys/${key.id}`, { bearer: adminToken, method: "DELETE", params: { id: key.id } });
      const revoked = await revoke();
      expect(revoked.status).toBe(200);
      expect((await revoke()).status).toBe(200);

      const stored = await eventsAbout(key.id);
      const [hash] = await database.db.select({ keyHash: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.id, key.id));
      const fields = {
        name: "Nightly import",
        prefix: key.prefix,
        groups: ["viewer", "uploader"],
        expires_at: expiresAt,
      };
      expect(stored.map((event) => [event.action, event.details, event.requestId, event.actorUserId])).toEqual([
        [
          "api_key.created",
          { before: null, after: { ...fields, revoked_at: null } },
          createdResult.headers.get("x-request-id"),
          admin.id,
        ],
        [
          "api_key.revoked",
          { before: { ...fields, revoked_at: null }, after: { ...fields, revoked_at: matching(/^\d{4}-/) } },
          revoked.headers.get("x-request-id"),
          admin.id,
        ],
      ]);
      expect(createdResult.headers.get("x-request-id")).toMatch(/^create-key-/);
      const everything = JSON.stringify(page(await audit(adminToken, "?target_type=api_key&limit=200")));
      expect(everything).not.toContain(key.key);
      expect(everything).not.toContain(hash?.keyHash);
    });

    it("a change made with an API key names the key as the actor", async () => {
      const adminKey = await keyFor(acme, ["admin"]);
      const createdResult = await call(createKey, "/api/api-keys", {
        bearer: adminKey,
        body: { name: `made by a key ${unique()}`, groups: ["viewer"] },
      });
      expect(createdResult.status, JSON.stringify(createdResult.json)).toBe(201);
      const keyId = (createdResult.json as { id: string }).id;
      const [actorKey] = await database.db
        .select({ id: apiKeys.id, name: apiKeys.name })
        .from(apiKeys)
        .where(eq(apiKeys.keyHash, sql`encode(sha256(convert_to(${adminKey}, 'UTF8')), 'hex')`));

      const listed = page(await audit(adminKey, "?action=api_key.created&limit=200"));
      const event = listed.events.find((each) => each.target_id === keyId);
      expect(event?.actor).toEqual({ type: "api_key", id: actorKey?.id, email: null, name: actorKey?.name });
      expect(event?.request_id).toBe(createdResult.headers.get("x-request-id"));
    });

    it("changing one's password (POST /api/auth/password) says only that it changed", async () => {
      const member = await createUser(database.db, { memberOf: [{ company: acme, groups: ["viewer"] }] });
      const newPassword = `new-${unique()}-${unique()}`;
      const changed = await call(changePasswordRoute, "/api/auth/password", {
        bearer: await tokenOf(member),
        body: { current_password: member.password, new_password: newPassword },
      });
      expect(changed.status, JSON.stringify(changed.json)).toBe(200);
      const wrong = await call(changePasswordRoute, "/api/auth/password", {
        bearer: (changed.json as { tokens: { access_token: string } }).tokens.access_token,
        body: { current_password: "not-it", new_password: `other-${unique()}-${unique()}` },
      });
      expect(wrong.status).toBe(400);

      const stored = await eventsAbout(member.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        companyId: acme.id,
        actorUserId: member.id,
        action: "account.password_changed",
        targetType: "account",
        details: { before: null, after: { revoked_refresh_tokens: 1 } },
        requestId: changed.headers.get("x-request-id"),
      });
      const [row] = await database.db.select().from(users).where(eq(users.id, member.id));
      const text = JSON.stringify(stored);
      for (const secret of [member.password, newPassword, row?.passwordHash ?? "no hash"]) {
        expect(text).not.toContain(secret);
      }
    });

    it("renaming one's account and signing out everywhere (Settings → Account), under the caller's company", async () => {
      const member = await createUser(database.db, {
        name: "Old Name",
        memberOf: [{ company: acme, groups: ["editor"] }],
      });
      const ctx = await userContext(member.id, acme.id, "session");
      await withRequestScope("rename-request", () => renameCallerAccount(ctx, { name: "New Name" }));
      await withRequestScope("same-name-request", () => renameCallerAccount(ctx, { name: "New Name" }));
      await withRequestScope("sign-out-request", () => signOutCallerEverywhere(ctx));

      const stored = await eventsAbout(member.id);
      expect(stored.map((event) => [event.action, event.details, event.requestId])).toEqual([
        ["account.renamed", { before: { name: "Old Name" }, after: { name: "New Name" } }, "rename-request"],
        ["account.signed_out_everywhere", { before: null, after: { revoked_refresh_tokens: 0 } }, "sign-out-request"],
      ]);
      expect(stored.every((event) => event.companyId === acme.id && event.actorUserId === member.id)).toBe(true);
      const [renamed] = await database.db.select({ name: users.name }).from(users).where(eq(users.id, member.id));
      expect(renamed?.name).toBe("New Name");
    });
  });

  describe("GET /api/audit", () => {
    let paged: Company;
    let pagedToken: string;
    /** The ids of the events seeded in `paged`, newest first (the order the list gives). */
    let newestFirst: string[];
    /** Each seeded event's place in the seeding: even ones are member.updated, odd ones api_key.created. */
    const seededIndex = new Map<string, number>();

    beforeAll(async () => {
      paged = await createCompany(database.db, "Audit Paged");
      const pagedAdmin = await createUser(database.db, { memberOf: [{ company: paged, groups: ["admin"] }] });
      pagedToken = await tokenOf(pagedAdmin);
      // Events of one millisecond apart by microseconds, and two of the very same instant: a cursor cut to
      // milliseconds, or one that ignored the id, would skip or repeat some of these.
      const instants = [
        "2026-01-01T10:00:00.000100Z",
        "2026-01-01T10:00:00.000200Z",
        "2026-01-01T10:00:00.000200Z",
        "2026-01-01T10:00:00.000900Z",
        "2026-01-01T10:00:00.001000Z",
        "2026-01-02T08:00:00.000000Z",
        "2026-01-03T08:00:00.000000Z",
      ];
      const inserted = await database.db
        .insert(auditEvents)
        .values(
          instants.map((instant, index) => ({
            companyId: paged.id,
            action: index % 2 === 0 ? "member.updated" : "api_key.created",
            targetType: index % 2 === 0 ? "member" : "api_key",
            targetId: `target-${index}`,
            details: { before: null, after: { index } },
            createdAt: sql`${instant}::timestamptz`,
          })),
        )
        .returning({ id: auditEvents.id });
      inserted.forEach((row, index) => seededIndex.set(String(row.id), index));
      newestFirst = inserted
        .map((row, index) => ({ id: String(row.id), instant: instants[index] ?? "" }))
        .sort((a, b) => (a.instant === b.instant ? Number(b.id) - Number(a.id) : b.instant.localeCompare(a.instant)))
        .map((row) => row.id);
    });

    it.each([1, 2, 3, 7, 50])(
      "pages of %i hold every event once, newest first, and the last page's next_cursor is null",
      async (limit) => {
        const seen = await walk(pagedToken, limit);
        expect(seen.map((event) => event.id)).toEqual(newestFirst);
      },
    );

    it("without a limit gives 50, and a full page whose events are the last says so on the next request", async () => {
      const first = page(await audit(pagedToken));
      expect(first.events).toHaveLength(7);
      expect(first.next_cursor).toBeNull();
      const exact = page(await audit(pagedToken, "?limit=6"));
      expect(exact.next_cursor).not.toBeNull();
      const rest = page(await audit(pagedToken, `?limit=1&before=${exact.next_cursor}`));
      expect(rest).toEqual({ events: [expect.objectContaining({ id: newestFirst[6] })], next_cursor: null });
    });

    it.each([
      ["action=member.updated", (index: number) => index % 2 === 0],
      ["target_type=api_key", (index: number) => index % 2 === 1],
      ["action=member.updated&target_type=api_key", () => false],
    ])("?%s keeps only those events, paging included", async (filters, kept) => {
      const seen = await walk(pagedToken, 2, `&${filters}`);
      const expected = newestFirst.filter((id) => kept(seededIndex.get(id) ?? -1));
      expect(seen.map((event) => event.id)).toEqual(expected);
    });

    it("a system event (no person, no key) is shown as Intake's own", async () => {
      const seen = page(await audit(pagedToken, "?limit=1"));
      expect(seen.events[0]?.actor).toEqual({ type: "system", id: null, email: null, name: null });
      expect(seen.events[0]?.request_id).toBeNull();
    });

    it.each([
      ["before=not-a-cursor!", "query.before"],
      [`before=${Buffer.from("yesterday|12").toString("base64url")}`, "query.before"],
      [`before=${Buffer.from("2026-01-01T10:00:00.000100Z|0").toString("base64url")}`, "query.before"],
      [`before=${Buffer.from("2026-01-01T10:00:00.000100Z|1|2").toString("base64url")}`, "query.before"],
      ["before=", "query.before"],
      ["limit=0", "query.limit"],
      ["limit=201", "query.limit"],
      ["limit=ten", "query.limit"],
      ["action=everything", "query.action"],
      ["target_type=job", "query.target_type"],
    ])("?%s is refused with 400 naming %s", async (query, field) => {
      const error = expectEnvelope(await audit(pagedToken, `?${query}`), 400, "VALIDATION_ERROR");
      expect(error.details).toEqual({ fields: [expect.objectContaining({ field })] });
      expect(error.message).toContain(field);
    });

    it("company B's events never appear in company A's list, nor A's in B's", async () => {
      const renamed = await renameCompany(globex, "Audit Globex Ltd", globexAdminToken);
      expect(renamed.status).toBe(200);
      const globexEvents = await database.db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(and(eq(auditEvents.companyId, globex.id)));
      expect(globexEvents.length).toBeGreaterThan(0);

      const acmeIds = new Set((await walk(adminToken, 200)).map((event) => event.id));
      for (const { id } of globexEvents) expect(acmeIds.has(String(id))).toBe(false);
      const globexIds = (await walk(globexAdminToken, 200)).map((event) => event.id);
      expect(globexIds.sort()).toEqual(globexEvents.map(({ id }) => String(id)).sort());
    });

    it("a cursor of another company's list pages this company's own events only", async () => {
      const acmeFirst = page(await audit(adminToken, "?limit=1"));
      expect(acmeFirst.next_cursor).not.toBeNull();
      const crossed = page(await audit(pagedToken, `?before=${acmeFirst.next_cursor}&limit=200`));
      expect(crossed.events.every((event) => newestFirst.includes(event.id))).toBe(true);
    });

    it("is for admins: an editor gets 403", async () => {
      const editor = await createUser(database.db, { memberOf: [{ company: acme, groups: ["editor"] }] });
      const error = expectEnvelope(await audit(await tokenOf(editor)), 403, "FORBIDDEN");
      expect(error.message).toContain("admin");
    });
  });
});
