import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteTenant, GET as getTenant, PUT as putTenant } from "@/app/api/admin/tenants/[id]/route";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import type { Database } from "@/db";
import { markTenantForDeletion } from "@/db/queries/tenants";
import { rowsOf } from "@/db/rows";
import {
  auditEvents,
  companies,
  cycles,
  invitations,
  jobs,
  projects,
  uploadSessions,
  usageRecords,
  users,
  type Company,
} from "@/db/schema";
import type { StepRunner } from "@/lib/background/definition";
import { drain } from "@/lib/background/in-process/runner";
import { getStorage } from "@/lib/storage";
import { deleteTenant as runTenantDeletion, setTenantDeletionBatchSizesForTests } from "@/lib/tenancy/tenant-deletion";
import { describeEachBackend } from "@/test/database";
import { addMember, createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";
import { keyFor, storedKeys } from "@/test/jobs";
import { HEADER, processedJob, reviewCompany } from "@/test/review";
import { startS3rver, useStorageDriver, type TestS3 } from "@/test/s3";

/** Two rows sharing an email (an issue that waits for review) and an invalid email. */
const reviewCsv = (tag: string) =>
  HEADER +
  `${tag}-dup@example.com,Ana,Silva,Acme\n${tag}-dup@example.com,Bo,Souza,Globex\n${tag}-bad,Cy,Lima,Initech\n`;
/** Two clean rows: new contacts, or (the same identities, spelt in capitals) updates of them. */
const cleanCsv = (tag: string, spell: (name: string) => string = (name) => name) =>
  HEADER + `${tag}-a@example.com,${spell("Di,Costa,Hooli")}\n${tag}-b@example.com,${spell("Ed,Moss,Acme")}\n`;

/**
 * Every column that ties a row to a company or a job, found in the catalog: a table added later
 * with either column is counted without anyone remembering to list it here.
 */
async function ownershipColumns(db: Database): Promise<{ table: string; column: string }[]> {
  return rowsOf<{ table: string; column: string }>(
    await db.execute(sql`
      select c.table_name as "table", c.column_name as "column"
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
        and (c.column_name = 'company_id' or c.column_name ~ '(^|_)job_id$')
      order by 1, 2`),
  );
}

/** `table.column` → rows holding the company's id or one of its jobs' ids there. */
async function rowsReferencing(db: Database, companyId: string, jobIds: number[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, column } of await ownershipColumns(db)) {
    const match =
      column === "company_id"
        ? sql`${sql.identifier(column)} = ${companyId}`
        : jobIds.length > 0
          ? sql`${sql.identifier(column)} in (${sql.join(
              jobIds.map((id) => sql`${id}`),
              sql`, `,
            )})`
          : sql`false`;
    const [row] = rowsOf<{ rows: number }>(
      await db.execute(sql`select count(*)::int as rows from ${sql.identifier(table)} where ${match}`),
    );
    counts[`${table}.${column}`] = Number(row?.rows ?? 0);
  }
  return counts;
}

const jobIdsOf = async (db: Database, company: Company) =>
  (await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.companyId, company.id)).orderBy(jobs.id)).map(
    (job) => job.id,
  );

const prefixOf = (company: Company) => `uploads/${company.id}/`;

async function accessToken(user: TestUser, company: Company): Promise<string> {
  const result = await call(login, "/api/auth/login", {
    body: { email: user.email, password: user.password, company_id: company.id },
  });
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return (result.json as { access_token: string }).access_token;
}

/** A company with a bit of everything a tenant owns: processed jobs (issues, contacts, updates), files, people, records. */
async function populatedCompany(db: Database, company: Company, uploaderKey: string) {
  const tag = unique();
  await processedJob(uploaderKey, cleanCsv(tag));
  // Updates, recorded so that a revert could undo them.
  await processedJob(
    uploaderKey,
    cleanCsv(tag, (names) => names.toUpperCase()),
  );
  await processedJob(uploaderKey, reviewCsv(tag));
  await getStorage().write(`${prefixOf(company)}${crypto.randomUUID()}/never-registered.csv`, Buffer.from(HEADER), {
    contentType: "text/csv",
  });
  const [project] = await db
    .insert(projects)
    .values({ companyId: company.id, name: `Project ${tag}` })
    .returning();
  if (!project) throw new Error("project insert returned no row");
  const [cycle] = await db
    .insert(cycles)
    .values({ companyId: company.id, projectId: project.id, name: "Q1" })
    .returning();
  if (!cycle) throw new Error("cycle insert returned no row");
  await db.insert(uploadSessions).values({ companyId: company.id, cycleId: cycle.id, name: "Session" });
  await db
    .insert(usageRecords)
    .values({ companyId: company.id, method: "GET", route: "/api/jobs", statusCode: 200, durationMs: 3 });
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3rver();
}, 30_000);
afterAll(async () => {
  await s3?.close();
});

describeEachBackend("deleting a tenant", (database) => {
  const doomed = reviewCompany(database, "Doomed Co");
  let platformAdmin: string;
  let home: Company;
  let other: Company;
  let people: { sole: TestUser; invitee: TestUser; shared: TestUser; otherPlatformAdmin: TestUser };

  beforeAll(async () => {
    setTenantDeletionBatchSizesForTests({ rows: 2, files: 1 });
    const db = database.db;
    home = await createCompany(db, "Platform home");
    const admin = await createUser(db, { memberOf: [{ company: home, groups: ["viewer"] }] });
    await db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
    platformAdmin = await accessToken(admin, home);

    other = await createCompany(db, "Bystander Co");
    const otherKey = await keyFor(other, ["uploader"]);
    await populatedCompany(db, other, otherKey);
    await populatedCompany(db, doomed.company, doomed.keys.uploader);

    people = {
      sole: await createUser(db, { memberOf: [{ company: doomed.company, groups: ["admin"] }] }),
      invitee: await createUser(db),
      shared: await createUser(db, {
        memberOf: [
          { company: doomed.company, groups: ["editor"] },
          { company: other, groups: ["viewer"] },
        ],
      }),
      otherPlatformAdmin: await createUser(db, { memberOf: [{ company: doomed.company, groups: ["admin"] }] }),
    };
    await db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, people.otherPlatformAdmin.id));
    await db.insert(invitations).values({
      companyId: doomed.company.id,
      userId: people.invitee.id,
      tokenHash: `hash-${unique()}`,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    // An audit row of the tenant's own, and a refresh token bound to it.
    const renamed = await call(putTenant, `/api/admin/tenants/${doomed.company.id}`, {
      bearer: platformAdmin,
      method: "PUT",
      body: { name: "Doomed Company" },
      params: { id: doomed.company.id },
    });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    await accessToken(people.sole, doomed.company);
  });

  it("removes every row and stored object the tenant owns, its sole members' accounts, and nothing of anyone else", async () => {
    const db = database.db;
    const doomedJobs = await jobIdsOf(db, doomed.company);
    const otherJobs = await jobIdsOf(db, other);
    const soleToken = await accessToken(people.sole, doomed.company);

    // The catalog finds the tables that matter, and the tenant has rows in the ones its work fills.
    const before = await rowsReferencing(db, doomed.company.id, doomedJobs);
    for (const filled of [
      "jobs.company_id",
      "staging_rows.job_id",
      "issues.company_id",
      "issue_items.job_id",
      "contacts.company_id",
      "contacts.source_job_id",
      "contact_changes.job_id",
      "job_events.job_id",
      "api_keys.company_id",
      "memberships.company_id",
      "invitations.company_id",
      "refresh_tokens.company_id",
      "usage_records.company_id",
      "audit_events.company_id",
      "upload_sessions.company_id",
      "cycles.company_id",
      "projects.company_id",
    ]) {
      expect(before[filled], filled).toBeGreaterThan(0);
    }
    expect((await storedKeys(prefixOf(doomed.company))).length).toBe(doomedJobs.length + 1);
    const otherBefore = await rowsReferencing(db, other.id, otherJobs);
    const otherKeysBefore = await storedKeys(prefixOf(other));

    const accepted = await call(deleteTenant, `/api/admin/tenants/${doomed.company.id}`, {
      bearer: platformAdmin,
      method: "DELETE",
      params: { id: doomed.company.id },
    });
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(202);
    expect(accepted.json).toMatchObject({ status: "deleting", deletion_progress: {} });
    // Gone to its keys and members at once, before the background run has removed anything.
    expectEnvelope(await call(listJobs, "/api/jobs", { bearer: doomed.keys.admin }), 401, "AUTHENTICATION_FAILED");
    expect(expectEnvelope(await call(listJobs, "/api/jobs", { bearer: soleToken }), 403, "FORBIDDEN").message).toMatch(
      /no longer a member/,
    );

    await drain();

    expectEnvelope(
      await call(getTenant, `/api/admin/tenants/${doomed.company.id}`, {
        bearer: platformAdmin,
        params: { id: doomed.company.id },
      }),
      404,
      "NOT_FOUND",
    );
    const after = await rowsReferencing(db, doomed.company.id, doomedJobs);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(Object.entries(after).filter(([, rows]) => rows > 0)).toEqual([]);
    expect(await db.select().from(companies).where(eq(companies.id, doomed.company.id))).toEqual([]);
    expect(await storedKeys(prefixOf(doomed.company))).toEqual([]);

    const remaining = await db
      .select({ id: users.id })
      .from(users)
      .where(
        inArray(
          users.id,
          Object.values(people).map((person) => person.id),
        ),
      );
    expect(remaining.map((user) => user.id).sort()).toEqual([people.shared.id, people.otherPlatformAdmin.id].sort());

    // The platform admin's own record of it outlives the tenant.
    const [requested] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, doomed.company.id))
      .orderBy(auditEvents.id);
    expect(requested).toMatchObject({ action: "tenant.deletion_requested", companyId: null });

    expect(await rowsReferencing(db, other.id, otherJobs)).toEqual(otherBefore);
    expect(await storedKeys(prefixOf(other))).toEqual(otherKeysBefore);
    expect((await call(listJobs, "/api/jobs", { bearer: await accessToken(people.shared, other) })).status).toBe(200);
  });

  describe.each(["local", "s3"] as const)("a run that crashes part-way (%s storage)", (kind) => {
    useStorageDriver(kind, () => s3);

    it("resumes from its recorded steps and finishes without errors, its progress counted as it went", async () => {
      const db = database.db;
      const company = await createCompany(db, "Crashing Co");
      await populatedCompany(db, company, await keyFor(company, ["uploader"]));
      await createUser(db, { memberOf: [{ company, groups: ["admin"] }] });
      const jobIds = await jobIdsOf(db, company);
      await markTenantForDeletion({ companyId: company.id });

      // Steps are recorded as Inngest and the in-process runner record them; the crash comes after the
      // 12th step's work is done and before it is recorded, so the resumed run meets that work done already.
      const recorded = new Map<string, unknown>();
      let fresh = 0;
      const steps = (crashAt: number | null): StepRunner => ({
        async run<T>(id: string, work: () => Promise<T>): Promise<T> {
          if (recorded.has(id)) return recorded.get(id) as T;
          const output = JSON.parse(JSON.stringify((await work()) ?? null)) as T;
          if (++fresh === crashAt) throw new Error(`crashed after the work of step ${id}`);
          recorded.set(id, output);
          return output;
        },
      });

      await expect(runTenantDeletion({ companyId: company.id, step: steps(12) })).rejects.toThrow(/crashed/);
      const [midway] = await db.select().from(companies).where(eq(companies.id, company.id));
      expect(midway?.deletionProgress?.stored_files).toBe(jobIds.length + 1);
      expect(midway?.deletionProgress?.issue_items).toBeGreaterThan(0);

      await expect(runTenantDeletion({ companyId: company.id, step: steps(null) })).resolves.toEqual({ deleted: true });
      const after = await rowsReferencing(db, company.id, jobIds);
      expect(Object.entries(after).filter(([, rows]) => rows > 0)).toEqual([]);
      expect(await storedKeys(prefixOf(company))).toEqual([]);

      // A run for a company that is gone (or was never marked) does nothing.
      const again = runTenantDeletion({ companyId: company.id, step: { run: (_id, work) => work() } });
      await expect(again).resolves.toEqual({ deleted: false });
    });

    it("asks the company's running jobs to stop and removes nothing until they have", async () => {
      const db = database.db;
      const company = await createCompany(db, "Busy Co");
      await populatedCompany(db, company, await keyFor(company, ["uploader"]));
      const [processing, pending] = await jobIdsOf(db, company);
      if (!processing || !pending) throw new Error("Busy Co has fewer than two jobs");
      // As if a run were still working on one job and another had not started yet.
      await db.update(jobs).set({ status: "PROCESSING" }).where(eq(jobs.id, processing));
      await db.update(jobs).set({ status: "PENDING" }).where(eq(jobs.id, pending));
      await markTenantForDeletion({ companyId: company.id });
      const before = await rowsReferencing(db, company.id, await jobIdsOf(db, company));

      const recorded = new Map<string, unknown>();
      const steps: StepRunner = {
        async run<T>(id: string, work: () => Promise<T>): Promise<T> {
          if (!recorded.has(id)) recorded.set(id, JSON.parse(JSON.stringify((await work()) ?? null)));
          return recorded.get(id) as T;
        },
      };
      await expect(runTenantDeletion({ companyId: company.id, step: steps })).rejects.toThrow(
        "1 of the company's jobs are still stopping; trying again shortly",
      );
      const states = await db
        .select({ id: jobs.id, status: jobs.status, cancelRequestedAt: jobs.cancelRequestedAt })
        .from(jobs)
        .where(inArray(jobs.id, [processing, pending]))
        .orderBy(jobs.id);
      expect(states).toEqual([
        { id: processing, status: "PROCESSING", cancelRequestedAt: expect.any(Date) as unknown },
        { id: pending, status: "CANCELLED", cancelRequestedAt: expect.any(Date) as unknown },
      ]);
      // Only the two jobs' timelines grew (asked to stop; cancelled).
      expect(await rowsReferencing(db, company.id, await jobIdsOf(db, company))).toEqual({
        ...before,
        "job_events.job_id": (before["job_events.job_id"] ?? 0) + 2,
      });

      // Its run stops (and undoes what it landed); the retried deletion goes on.
      await db.update(jobs).set({ status: "CANCELLED" }).where(eq(jobs.id, processing));
      await expect(runTenantDeletion({ companyId: company.id, step: steps })).resolves.toEqual({ deleted: true });
    });

    it("a company not marked for deletion is left alone", async () => {
      const company = await createCompany(database.db, "Kept Co");
      await addMember(database.db, company, await createUser(database.db), ["viewer"]);
      const run = runTenantDeletion({ companyId: company.id, step: { run: (_id, work) => work() } });
      await expect(run).resolves.toEqual({ deleted: false });
      expect(await database.db.select().from(companies).where(eq(companies.id, company.id))).toHaveLength(1);
    });
  });
});
