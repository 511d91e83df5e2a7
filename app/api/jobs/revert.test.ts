import { and, asc, eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteJob } from "@/app/api/jobs/[job_id]/route";
import { POST as reprocessJob } from "@/app/api/jobs/[job_id]/reprocess/route";
import { POST as revertJobRoute } from "@/app/api/jobs/[job_id]/revert/route";
import { findJobForWorker, listJobEvents } from "@/db/queries/jobs";
import {
  contactChanges,
  contacts,
  jobs,
  stagingRows,
  type Company,
  type Contact,
  type Group,
  type JobStatus,
} from "@/db/schema";
import { configureRunner, drain } from "@/lib/background/in-process/runner";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";
import { keyFor, processedJob, uploadDirect } from "@/test/jobs";

const HEADER = "email,first_name,last_name,company\n";
const csv = (...rows: string[]) => HEADER + rows.map((row) => `${row}\n`).join("");

type Keys = Record<Group, string>;

async function keysFor(company: Company): Promise<Keys> {
  return {
    admin: await keyFor(company, ["admin"]),
    editor: await keyFor(company, ["editor"]),
    uploader: await keyFor(company, ["uploader"]),
    viewer: await keyFor(company, ["viewer"]),
  };
}

const revertAs = (bearer: string, jobId: number) =>
  call(revertJobRoute, `/api/jobs/${jobId}/revert`, { bearer, method: "POST", params: { job_id: String(jobId) } });

/** A job processed to COMPLETED (checked). */
async function completedJob(bearer: string, content: string, filename?: string): Promise<number> {
  const jobId = await processedJob(bearer, content, filename);
  expect((await findJobForWorker({ jobId }))?.status).toBe("COMPLETED");
  return jobId;
}

async function contactsOf(database: TestDatabase, company: Company): Promise<Contact[]> {
  return database.db.select().from(contacts).where(eq(contacts.companyId, company.id)).orderBy(asc(contacts.email));
}

async function contactOf(database: TestDatabase, company: Company, email: string): Promise<Contact> {
  const [contact] = await database.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.companyId, company.id), eq(contacts.email, email)));
  if (!contact) throw new Error(`no contact ${email}`);
  return contact;
}

/** What a contact says, without when it was last written. */
const identity = ({ updatedAt: _updatedAt, ...rest }: Contact) => rest;

async function stagingOf(database: TestDatabase, jobId: number) {
  return database.db
    .select({ row: stagingRows.rowNumber, email: stagingRows.email, status: stagingRows.status })
    .from(stagingRows)
    .where(eq(stagingRows.jobId, jobId))
    .orderBy(asc(stagingRows.rowNumber));
}

describeEachBackend("POST /api/jobs/{job_id}/revert", (database) => {
  withTempDataDir("intake-revert");

  beforeAll(() => {
    configureRunner({ backoffMs: [5, 5, 5, 5] });
  });
  // Background runs started by a test finish before the next one (and before the database closes).
  afterEach(() => drain());

  describe("a job with inserts and updates, one update and one insert changed again by a later job", () => {
    let company: Company;
    let keys: Keys;
    let seedJob: number;
    let jobA: number;
    let jobB: number;
    let fileA: string;
    let beforeA: Contact[];
    let stagingA: Awaited<ReturnType<typeof stagingOf>>;

    beforeAll(async () => {
      company = await createCompany(database.db);
      keys = await keysFor(company);
      seedJob = await completedJob(
        keys.uploader,
        csv("restored@example.com,Rita,Old,Acme", "later@example.com,Lia,Old,Acme"),
        "seed.csv",
      );
      beforeA = await contactsOf(database, company);
      // Names differing only in case are no conflict (same identity), but they do update the contact.
      fileA = csv(
        "new1@example.com,Nina,One,Acme",
        "new2@example.com,Noah,Two,Acme",
        "restored@example.com,RITA,OLD,ACME",
        "later@example.com,LIA,OLD,ACME",
        "newlater@example.com,Nora,Late,Acme",
      );
      jobA = await completedJob(keys.uploader, fileA, "a.csv");
      expect(await findJobForWorker({ jobId: jobA })).toMatchObject({ insertedCount: 3, updatedCount: 2 });
      jobB = await completedJob(
        keys.uploader,
        csv("later@example.com,lia,old,acme", "newlater@example.com,NORA,LATE,ACME"),
        "b.csv",
      );
      expect(await findJobForWorker({ jobId: jobB })).toMatchObject({ insertedCount: 0, updatedCount: 2 });
      stagingA = await stagingOf(database, jobA);
    });

    it("an editor reverts it: inserted contacts removed, updated ones restored, the two changed since kept and reported", async () => {
      const later = await contactOf(database, company, "later@example.com");
      const newLater = await contactOf(database, company, "newlater@example.com");
      const result = await revertAs(keys.editor, jobA);
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json).toEqual({
        job_id: jobA,
        status: "REVERTED",
        removed: 2,
        restored: 1,
        kept_count: 2,
        kept: [
          {
            contact_id: later.id,
            contact_email: "later@example.com",
            reason: `Changed since by job ${jobB} (b.csv); left as it is`,
          },
          {
            contact_id: newLater.id,
            contact_email: "newlater@example.com",
            reason: `Changed since by job ${jobB} (b.csv); left as it is`,
          },
        ],
      });

      const after = await contactsOf(database, company);
      expect(after.map((contact) => contact.email)).toEqual([
        "later@example.com",
        "newlater@example.com",
        "restored@example.com",
      ]);
      // Restored exactly as it was before job A (names, company, last job; it was inserted by the seed job).
      const restoredBefore = beforeA.find((contact) => contact.email === "restored@example.com");
      const restoredAfter = await contactOf(database, company, "restored@example.com");
      expect({ ...identity(restoredAfter), stagingId: null }).toEqual({
        ...(restoredBefore && identity(restoredBefore)),
        stagingId: null,
      });
      expect(restoredAfter).toMatchObject({
        firstName: "Rita",
        lastName: "Old",
        company: "Acme",
        sourceJobId: seedJob,
        lastJobId: seedJob,
      });
      // The kept ones are as job B left them.
      expect(identity(await contactOf(database, company, "later@example.com"))).toEqual(identity(later));
      expect(later).toMatchObject({ firstName: "lia", lastName: "old", company: "acme", lastJobId: jobB });
      expect(identity(await contactOf(database, company, "newlater@example.com"))).toEqual(identity(newLater));
      expect(newLater).toMatchObject({ firstName: "NORA", sourceJobId: jobA, lastJobId: jobB });
    });

    it("marks the restored change reverted (not the kept one), keeps the staging rows, and records the revert on the timeline", async () => {
      const changes = await database.db
        .select({ email: contacts.email, revertedAt: contactChanges.revertedAt })
        .from(contactChanges)
        .innerJoin(contacts, eq(contacts.id, contactChanges.contactId))
        .where(eq(contactChanges.jobId, jobA))
        .orderBy(asc(contacts.email));
      expect(changes.map((change) => [change.email, change.revertedAt !== null])).toEqual([
        ["later@example.com", false],
        ["restored@example.com", true],
      ]);
      expect(await stagingOf(database, jobA)).toEqual(stagingA);
      expect(stagingA.map((row) => row.status)).toEqual(["IMPORTED", "IMPORTED", "IMPORTED", "IMPORTED", "IMPORTED"]);

      const job = await findJobForWorker({ jobId: jobA });
      // The counts stay as the import left them: they are the job's history.
      expect(job).toMatchObject({ status: "REVERTED", insertedCount: 3, updatedCount: 2 });
      const events = await listJobEvents({ jobId: jobA });
      expect(events.at(-1)).toMatchObject({
        status: "REVERTED",
        message:
          "Reverted: 2 inserted contacts removed, 1 updated contact restored, 2 contacts kept (changed by a later job)",
      });
    });

    it("a second revert → 409, and changes nothing", async () => {
      const before = await contactsOf(database, company);
      const error = expectEnvelope(await revertAs(keys.editor, jobA), 409, "CONFLICT");
      expect(error.message).toBe(`Job ${jobA} is REVERTED; only COMPLETED jobs can be reverted`);
      expect(error.details).toEqual({ status: "REVERTED" });
      expect(await contactsOf(database, company)).toEqual(before);
    });

    it("a REVERTED job cannot be reprocessed or deleted, and its file may be imported again", async () => {
      const params = { job_id: String(jobA) };
      expectEnvelope(
        await call(reprocessJob, `/api/jobs/${jobA}/reprocess`, { bearer: keys.admin, method: "POST", params }),
        409,
        "CONFLICT",
      );
      expectEnvelope(
        await call(deleteJob, `/api/jobs/${jobA}`, { bearer: keys.admin, method: "DELETE", params }),
        400,
        "BAD_REQUEST",
      );
      expect((await findJobForWorker({ jobId: jobA }))?.status).toBe("REVERTED");

      const again = await uploadDirect(keys.uploader, "a-again.csv", fileA);
      expect(again.status, JSON.stringify(again.json)).toBe(201);
      await drain();
      expect(await findJobForWorker({ jobId: (again.json as { job_id: number }).job_id })).toMatchObject({
        status: "COMPLETED",
        insertedCount: 2,
      });
    });
  });

  describe("who may revert", () => {
    let company: Company;
    let keys: Keys;
    let jobId: number;
    let otherAdmin: string;

    beforeAll(async () => {
      company = await createCompany(database.db);
      keys = await keysFor(company);
      otherAdmin = await keyFor(await createCompany(database.db), ["admin"]);
      jobId = await completedJob(keys.uploader, csv(`one-${unique()}@example.com,One,Person,Acme`));
    });

    it.each(["viewer", "uploader"] as const)("a %s → 403, the job and its contacts untouched", async (who) => {
      const error = expectEnvelope(await revertAs(keys[who], jobId), 403, "FORBIDDEN");
      expect(error.details).toEqual({ required_group: "editor", your_groups: [who] });
      expect((await findJobForWorker({ jobId }))?.status).toBe("COMPLETED");
      expect(await contactsOf(database, company)).toHaveLength(1);
    });

    it("another company's admin → 404, the job and its contacts untouched", async () => {
      const error = expectEnvelope(await revertAs(otherAdmin, jobId), 404, "NOT_FOUND");
      expect(error.message).toBe(`Job ${jobId} not found`);
      expect((await findJobForWorker({ jobId }))?.status).toBe("COMPLETED");
      expect(await contactsOf(database, company)).toHaveLength(1);
    });

    it("an unknown job → 404; the company's admin → 200", async () => {
      expectEnvelope(await revertAs(keys.admin, 987_654_321), 404, "NOT_FOUND");
      const result = await revertAs(keys.admin, jobId);
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json).toEqual({
        job_id: jobId,
        status: "REVERTED",
        removed: 1,
        restored: 0,
        kept_count: 0,
        kept: [],
      });
      expect(await contactsOf(database, company)).toEqual([]);
    });
  });

  describe("only COMPLETED jobs", () => {
    let company: Company;
    let keys: Keys;

    beforeAll(async () => {
      company = await createCompany(database.db);
      keys = await keysFor(company);
    });

    it("a NEEDS_REVIEW job → 409", async () => {
      const jobId = await processedJob(
        keys.uploader,
        csv("dup@example.com,Ana,Silva,Acme", "dup@example.com,Bo,Souza,Globex"),
      );
      expect((await findJobForWorker({ jobId }))?.status).toBe("NEEDS_REVIEW");
      const error = expectEnvelope(await revertAs(keys.editor, jobId), 409, "CONFLICT");
      expect(error.message).toBe(`Job ${jobId} is NEEDS_REVIEW; only COMPLETED jobs can be reverted`);
    });

    it.each<JobStatus>(["PENDING", "PROCESSING", "FAILED"])(
      "a %s job → 409, its contacts untouched",
      async (status) => {
        const jobId = await completedJob(keys.uploader, csv(`s-${unique()}@example.com,Sam,Status,Acme`));
        await database.db.update(jobs).set({ status }).where(eq(jobs.id, jobId));
        const before = await contactsOf(database, company);
        const error = expectEnvelope(await revertAs(keys.editor, jobId), 409, "CONFLICT");
        expect(error.details).toEqual({ status });
        expect(await contactsOf(database, company)).toEqual(before);
        expect((await findJobForWorker({ jobId }))?.status).toBe(status);
      },
    );
  });

  describe("reverting jobs newest first puts every contact back as it was", () => {
    /**
     * One contact inserted by a seed job, then updated by job A and again by job B. `previous` records
     * the last job and staging row as well as the names, so that each revert hands the contact back to
     * the job before; written out here so the test does not depend on which version of promotion wrote them.
     */
    async function threeJobs(withJobKeys: boolean) {
      const company = await createCompany(database.db);
      const keys = await keysFor(company);
      const email = "x@example.com";
      const seed = await completedJob(keys.uploader, csv(`${email},Xena,Old,Acme`));
      const afterSeed = await contactOf(database, company, email);
      const jobA = await completedJob(keys.uploader, csv(`${email},XENA,OLD,ACME`));
      const afterA = await contactOf(database, company, email);
      const jobB = await completedJob(keys.uploader, csv(`${email},xena,old,acme`));
      const afterB = await contactOf(database, company, email);
      expect([afterA.lastJobId, afterB.lastJobId]).toEqual([jobA, jobB]);

      const previousOf = (contact: Contact) => ({
        firstName: contact.firstName,
        lastName: contact.lastName,
        company: contact.company,
        ...(withJobKeys ? { lastJobId: contact.lastJobId, stagingId: contact.stagingId } : {}),
      });
      for (const [jobId, before] of [
        [jobA, afterSeed],
        [jobB, afterA],
      ] as const) {
        await database.db
          .update(contactChanges)
          .set({ previous: sql`${JSON.stringify(previousOf(before))}::jsonb` })
          .where(and(eq(contactChanges.jobId, jobId), eq(contactChanges.contactId, before.id)));
      }
      return { company, keys, email, seed, jobA, jobB, afterSeed, afterA };
    }

    it("with the last job and staging row recorded: B then A restore the contact step by step", async () => {
      const { company, keys, email, jobA, jobB, afterSeed, afterA } = await threeJobs(true);

      expect((await revertAs(keys.editor, jobB)).json).toMatchObject({ removed: 0, restored: 1, kept_count: 0 });
      expect(identity(await contactOf(database, company, email))).toEqual(identity(afterA));

      expect((await revertAs(keys.editor, jobA)).json).toMatchObject({ removed: 0, restored: 1, kept_count: 0 });
      expect(identity(await contactOf(database, company, email))).toEqual(identity(afterSeed));
    });

    it("with only the names recorded: the contact's last job falls back to the one that inserted it", async () => {
      const { company, keys, email, seed, jobA, jobB, afterSeed, afterA } = await threeJobs(false);

      expect((await revertAs(keys.editor, jobB)).json).toMatchObject({ removed: 0, restored: 1, kept_count: 0 });
      const afterRevertB = await contactOf(database, company, email);
      expect(afterRevertB).toMatchObject({
        firstName: afterA.firstName,
        lastName: afterA.lastName,
        company: afterA.company,
        lastJobId: seed,
      });

      // Job A's change now looks overtaken (the contact's last job is the seed): it is kept and reported.
      const result = await revertAs(keys.editor, jobA);
      expect(result.json).toMatchObject({
        removed: 0,
        restored: 0,
        kept_count: 1,
        kept: [
          {
            contact_id: afterSeed.id,
            contact_email: email,
            reason: expect.stringMatching(new RegExp(`^Changed since by job ${seed} `)) as unknown,
          },
        ],
      });
      expect(identity(await contactOf(database, company, email))).toEqual(identity(afterRevertB));
    });
  });
});
