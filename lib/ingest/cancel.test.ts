import { and, asc, count, countDistinct, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { findJobForWorker } from "@/db/queries/jobs";
import { contacts, jobs, stagingRows, type Company } from "@/db/schema";
import { requestCancel, stopCancelledJob } from "@/lib/ingest/cancel";
import type { StepRunner } from "@/lib/background/definition";
import { failJob, processJob } from "@/lib/ingest/pipeline";
import { resetJobForReprocess } from "@/lib/ingest/reprocess";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { withTempDataDir } from "@/test/data-dir";
import { storedJob } from "@/test/ingest";

const ROWS = 3_000;
// Staging chunks of 500 rows and insert ranges of 1,000 ids (two a step): six staging steps, two insert steps.
const CHUNK_ROWS = 1_000;

/** A clean file of ROWS people; person 0 is already a contact, spelt in lower case (the same person: an update in upsert). */
function contactsCsv(): string {
  let body = "email,first_name,last_name,company\n";
  for (let index = 0; index < ROWS; index += 1) body += `person${index}@example.com,First${index},Last${index},Acme\n`;
  return body;
}

/** Runs every step at once, and asks the job to stop right after `stopAfter` finished (as an editor's click would). */
function cancellingAfter(stopAfter: string, company: Company, ran: string[]): StepRunner {
  return {
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      ran.push(id);
      const output = await work();
      if (id === stopAfter) {
        const request = await requestCancel({
          jobId: jobIdOf(output),
          companyId: company.id,
          actorUserId: null,
          actorName: "test",
        });
        expect(request.outcome).toBe("stopping");
      }
      return output;
    },
  };
}

let currentJobId = 0;
/** Ends one call of a replaying runner after the step it ran. */
class CallEnded extends Error {}
const jobIdOf = (_output: unknown) => currentJobId;
const immediate: StepRunner = { run: (_id, work) => work() };

async function contactsOf(database: TestDatabase, companyId: string) {
  return database.db
    .select({ email: contacts.email, company: contacts.company, lastJobId: contacts.lastJobId })
    .from(contacts)
    .where(eq(contacts.companyId, companyId))
    .orderBy(asc(contacts.email));
}

describeEachBackend("cancelling a job", (database) => {
  withTempDataDir("intake-cancel");
  let company: Company;

  beforeEach(async () => {
    company = await createCompany(database.db);
    await database.db.insert(contacts).values({
      companyId: company.id,
      email: "person0@example.com",
      firstName: "first0",
      lastName: "last0",
      company: "acme",
    });
  });

  it("a PENDING job is CANCELLED at once and its run, when it comes, does nothing", async () => {
    const job = await storedJob(database.db, company, contactsCsv());
    const request = await requestCancel({ jobId: job.id, companyId: company.id, actorUserId: null, actorName: "test" });
    expect(request).toMatchObject({ outcome: "cancelled", job: { status: "CANCELLED" } });
    // Its run, when it comes, stops before its first step.
    expect(await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows: CHUNK_ROWS })).toEqual({
      status: "CANCELLED",
      rows: 0,
    });
    expect((await findJobForWorker({ jobId: job.id }))?.status).toBe("CANCELLED");
    const [staged] = await database.db.select({ n: count() }).from(stagingRows).where(eq(stagingRows.jobId, job.id));
    expect(staged?.n).toBe(0);
  });

  it("another company's job is not found, and a job that is not running is refused", async () => {
    const job = await storedJob(database.db, company, contactsCsv());
    const other = await createCompany(database.db);
    expect(await requestCancel({ jobId: job.id, companyId: other.id, actorUserId: null, actorName: "test" })).toEqual({
      outcome: "not-found",
    });
    await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows: CHUNK_ROWS });
    expect(
      await requestCancel({ jobId: job.id, companyId: company.id, actorUserId: null, actorName: "test" }),
    ).toMatchObject({
      outcome: "not-running",
      job: { status: "COMPLETED" },
    });
  });

  // Each point a run can be stopped at: staging, detection, inserting contacts, updating them.
  it.each([
    { stopAfter: "stage-rows-1", landedBeforeStop: false },
    { stopAfter: "detect-issues", landedBeforeStop: false },
    { stopAfter: "insert-contacts-0", landedBeforeStop: true },
    { stopAfter: "update-contacts", landedBeforeStop: true },
  ])(
    "stopped after $stopAfter: nothing it landed is left, and reprocessing lands every row once",
    async ({ stopAfter, landedBeforeStop }) => {
      const before = await contactsOf(database, company.id);
      const job = await storedJob(database.db, company, contactsCsv());
      currentJobId = job.id;
      const ran: string[] = [];

      const outcome = await processJob({
        jobId: job.id,
        runId: "test-run",
        step: cancellingAfter(stopAfter, company, ran),
        chunkRows: CHUNK_ROWS,
      });

      expect(outcome.status).toBe("CANCELLED");
      // It stopped at the boundary right after the step, and ran only the clean-up after it.
      expect(ran.slice(ran.indexOf(stopAfter) + 1)).toEqual(["stop-cancelled"]);
      const cancelled = await findJobForWorker({ jobId: job.id });
      expect(cancelled).toMatchObject({ status: "CANCELLED", insertedCount: 0, updatedCount: 0 });
      if (landedBeforeStop) expect(ran).toContain("insert-contacts-0");
      // The company's contacts are as they were before the job: inserts removed, the update undone.
      expect(await contactsOf(database, company.id)).toEqual(before);
      const [imported] = await database.db
        .select({ n: count() })
        .from(stagingRows)
        .where(and(eq(stagingRows.jobId, job.id), eq(stagingRows.status, "IMPORTED")));
      expect(imported?.n ?? 0).toBe(0);

      const reset = await resetJobForReprocess({ jobId: job.id, actorUserId: null });
      expect(reset?.status).toBe("PENDING");
      expect(await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows: CHUNK_ROWS })).toEqual({
        status: "COMPLETED",
        rows: ROWS,
      });

      const [done] = await database.db.select().from(jobs).where(eq(jobs.id, job.id));
      expect(done).toMatchObject({
        status: "COMPLETED",
        stagedRows: ROWS,
        totalRows: ROWS,
        insertedCount: ROWS - 1,
        updatedCount: 1,
        skippedCount: 0,
      });
      const [staged] = await database.db
        .select({ rows: count(), distinctRows: countDistinct(stagingRows.rowNumber) })
        .from(stagingRows)
        .where(eq(stagingRows.jobId, job.id));
      expect(staged).toEqual({ rows: ROWS, distinctRows: ROWS });
      const after = await contactsOf(database, company.id);
      expect(after).toHaveLength(ROWS);
      expect(after.every((contact) => contact.company === "Acme" && contact.lastJobId === job.id)).toBe(true);
    },
  );

  it.each(["stage-rows-1", "insert-contacts-0"])(
    "a run replayed from its start on every call (as Inngest runs it) stops for good once cancelled after %s",
    async (stopAfter) => {
      const before = await contactsOf(database, company.id);
      const job = await storedJob(database.db, company, contactsCsv());
      currentJobId = job.id;
      const recorded = new Map<string, unknown>();
      const ran: string[] = [];
      let outcome: unknown;
      // Each call replays the recorded steps, runs one new step, records it and ends (Inngest's way).
      for (let call = 0; call < 100 && outcome === undefined; call += 1) {
        const replaying: StepRunner = {
          async run<T>(id: string, work: () => Promise<T>): Promise<T> {
            if (recorded.has(id)) return recorded.get(id) as T;
            const output = (await work()) ?? null;
            recorded.set(id, JSON.parse(JSON.stringify(output)));
            ran.push(id);
            if (id === stopAfter)
              await requestCancel({ jobId: job.id, companyId: company.id, actorUserId: null, actorName: "test" });
            throw new CallEnded();
          },
        };
        try {
          outcome = await processJob({ jobId: job.id, runId: "test-run", step: replaying, chunkRows: CHUNK_ROWS });
        } catch (error) {
          if (!(error instanceof CallEnded)) throw error;
        }
      }
      expect(outcome).toEqual({ status: "CANCELLED", rows: 0 });
      expect(ran.slice(ran.indexOf(stopAfter) + 1)).toEqual(["stop-cancelled"]);
      expect((await findJobForWorker({ jobId: job.id }))?.status).toBe("CANCELLED");
      expect(await contactsOf(database, company.id)).toEqual(before);
    },
  );

  it("a job that fails for good after landing part of its contacts is FAILED with nothing of it landed", async () => {
    const before = await contactsOf(database, company.id);
    const job = await storedJob(database.db, company, contactsCsv());
    const failing: StepRunner = {
      run: async (id, work) => {
        if (id === "update-contacts") throw new Error("the database went away");
        return work();
      },
    };
    await expect(
      processJob({ jobId: job.id, runId: "test-run", step: failing, chunkRows: CHUNK_ROWS }),
    ).rejects.toThrow("the database went away");
    expect((await contactsOf(database, company.id)).length).toBe(ROWS);

    await failJob({ jobId: job.id, reason: "Processing failed: the database went away" });

    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "FAILED",
      error: "Processing failed: the database went away",
      insertedCount: 0,
    });
    expect(await contactsOf(database, company.id)).toEqual(before);
    expect(await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows: CHUNK_ROWS })).toEqual({
      status: "SKIPPED",
      rows: 0,
    });
  });

  it("the clean-up is a no-op for a job no longer PROCESSING (a retried stop step)", async () => {
    const job = await storedJob(database.db, company, contactsCsv());
    await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows: CHUNK_ROWS });
    expect(await stopCancelledJob({ jobId: job.id })).toEqual({ removed: 0, restored: 0 });
    expect((await findJobForWorker({ jobId: job.id }))?.status).toBe("COMPLETED");
    expect(await contactsOf(database, company.id)).toHaveLength(ROWS);
  });
});
