import { and, count, countDistinct, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import {
  contacts,
  jobEvents,
  jobs,
  stagingRows,
  uploadSessionFiles,
  uploadSessions,
  type Company,
  type UploadSession,
} from "@/db/schema";
import { configureRunner, drain, runnerConfig } from "@/lib/background/in-process/runner";
import { attachStoredFile } from "@/lib/sessions/run/attach";
import { beginSessionRun, fillSessionSlots } from "@/lib/sessions/run/run";
import { getStorage } from "@/lib/storage";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { withJobRunner } from "@/test/ingest";
import { insertSessionTree, startFileUnqueued } from "@/test/sessions";

const ROWS = 50;

describeEachBackend("a session file started but never queued", (database) => {
  withJobRunner("intake-stranded-file");
  let company: Company;
  let session: UploadSession;
  let jobId: number;

  /** A running session whose one file was started, its job created, and never queued (its run stopped in between). */
  beforeEach(async () => {
    company = await createCompany(database.db);
    const tree = await insertSessionTree(database.db, company.id, { status: "PENDING" });
    const key = `uploads/${company.id}/${unique()}/stranded.csv`;
    let body = "email,first_name,last_name,company\n";
    for (let row = 0; row < ROWS; row += 1) body += `stranded${row}-${unique()}@example.com,First,Last,Acme\n`;
    await getStorage().write(key, Buffer.from(body), { contentType: "text/csv", size: Buffer.byteLength(body) });
    const file = await attachStoredFile({
      companyId: company.id,
      sessionId: tree.session,
      key,
      fileName: "stranded.csv",
    });
    expect(await beginSessionRun({ sessionId: tree.session })).toBe("RUNNING");
    const [running] = await database.db.select().from(uploadSessions).where(eq(uploadSessions.id, tree.session));
    session = running!;
    jobId = await startFileUnqueued(session, file);
  });

  async function expectImportedOnce() {
    await drain();
    const [ended] = await database.db.select().from(uploadSessions).where(eq(uploadSessions.id, session.id));
    expect(ended).toMatchObject({ status: "COMPLETED", completedFiles: 1, rowsStaged: ROWS, rowsLanded: ROWS });
    expect(
      await database.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.uploadSessionId, session.id)),
    ).toEqual([{ status: "COMPLETED" }]);
    const [staged] = await database.db
      .select({ rows: count(), distinctRows: countDistinct(stagingRows.rowNumber) })
      .from(stagingRows)
      .where(eq(stagingRows.jobId, jobId));
    expect(staged).toEqual({ rows: ROWS, distinctRows: ROWS });
    const [starts] = await database.db
      .select({ n: count() })
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.status, "PROCESSING")));
    expect(starts?.n).toBe(1);
    const [landed] = await database.db.select({ n: count() }).from(contacts).where(eq(contacts.companyId, company.id));
    expect(landed?.n).toBe(ROWS);
  }

  it("is queued by the next start of files however soon it comes (a step retried a second later), and the session ends", async () => {
    expect(await fillSessionSlots({ sessionId: session.id })).toEqual([jobId]);
    await expectImportedOnce();
  });

  it("queued twice (two starts of files at once both found it unqueued), its job is processed by one run", async () => {
    // The runner takes no run until both have queued the job, so that it cannot end in between.
    const { concurrency } = runnerConfig();
    configureRunner({ concurrency: 0 });
    try {
      expect(await fillSessionSlots({ sessionId: session.id })).toEqual([jobId]);
      // The other start of files read the file before the first recorded its queueing.
      const unqueued = await database.db
        .update(uploadSessionFiles)
        .set({ startedAt: null })
        .where(and(eq(uploadSessionFiles.sessionId, session.id), eq(uploadSessionFiles.status, "RUNNING")))
        .returning();
      expect(unqueued).toHaveLength(1);
      expect(await fillSessionSlots({ sessionId: session.id })).toEqual([jobId]);
    } finally {
      configureRunner({ concurrency });
    }
    await expectImportedOnce();
  });
});
