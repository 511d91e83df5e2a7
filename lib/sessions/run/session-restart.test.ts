import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, count, countDistinct, eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
// Renamed on import: it is not a React hook, but the hooks lint rule goes by the name.
import { useDatabase as pointAppAtDatabase, type Database, type DatabaseHandle } from "@/db";
import {
  backgroundRuns,
  contacts,
  issueItems,
  jobEvents,
  jobs,
  stagingRows,
  uploadSessionFiles,
  uploadSessions,
} from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { attachStoredFile } from "@/lib/sessions/run/attach";
import { startSession } from "@/lib/sessions/run/run";
import { getStorage, resetStorageForTests } from "@/lib/storage";
import { testBackends } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { insertSessionTree } from "@/test/sessions";
import { runBackgroundWorker, workerDatabase, type WorkerLogEntry } from "@/test/worker-process";

const GOOD_FILES = 5;
const ROWS = 3_000;
const CHUNK_ROWS = 500;
const SESSION_CONCURRENCY = 2;
// Room for the session's run, its two jobs and the listeners of their outcomes.
const WORKER_CONCURRENCY = 4;

/** A file of ROWS contacts of its own; with `duplicate`, its second row repeats the first's email (an issue to review). */
function contactsFile(file: string, { duplicate = false } = {}): { body: Buffer; emails: string[] } {
  const emails = Array.from({ length: ROWS }, (_, row) => `${file}-p${row}@example.com`);
  if (duplicate) emails[1] = emails[0]!;
  const lines = emails.map((email, row) => `${email},First${row},Last${row},Acme`);
  return { body: Buffer.from(`email,first_name,last_name,company\n${lines.join("\n")}\n`), emails };
}

/** True once process-job runs of `runs` distinct ids have each finished a staging chunk in this worker. */
function stagingRunsSeen(runs: number): (entry: WorkerLogEntry) => boolean {
  const staging = new Set<string>();
  return (entry) => {
    if (entry.message !== "step finished" || entry.function_id !== "process-job") return false;
    if (!entry.step?.startsWith("stage-rows-") || !entry.run_id) return false;
    staging.add(entry.run_id);
    return staging.size >= runs;
  };
}

describe.each(testBackends())("an upload session whose server is killed mid-session ($kind)", (backend) => {
  let dataDir: string;
  let handle: DatabaseHandle | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await handle?.close();
    handle = undefined;
    await dropDatabase?.();
    vi.unstubAllEnvs();
    resetEnvForTests();
    resetStorageForTests();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(backend.skip)(
    "finishes COMPLETED after two kills and restarts, with no file imported twice and counters that add up",
    { timeout: 300_000 },
    async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), "intake-session-restart-"));
      vi.stubEnv("DATA_DIR", dataDir);
      resetEnvForTests();
      resetStorageForTests();
      const database = await workerDatabase(backend, dataDir);
      dropDatabase = database.drop;
      const workerEnv = database.workerEnv({
        INGEST_CHUNK_ROWS: String(CHUNK_ROWS),
        SESSION_CONCURRENCY: String(SESSION_CONCURRENCY),
      });
      /** PGlite is one process's database: this process lets go of it while a worker runs. */
      const letGo = async () => {
        if (backend.kind !== "pglite") return;
        await handle?.close();
        handle = undefined;
      };
      const reopen = async (): Promise<Database> => {
        handle ??= await database.open();
        pointAppAtDatabase(handle);
        return handle.db;
      };

      // The server that took the session: its files stored and attached, and the session started.
      handle = await database.open();
      await handle.migrate();
      pointAppAtDatabase(handle);
      let db = handle.db;
      const company = await createCompany(db);
      const { session: sessionId } = await insertSessionTree(db, company.id, { status: "PENDING" });
      const landingEmails = new Set<string>();
      const names = [...Array.from({ length: GOOD_FILES }, (_, index) => `good-${index}`), "with-issue"];
      for (const name of names) {
        const file = contactsFile(name, { duplicate: name === "with-issue" });
        if (name !== "with-issue") file.emails.forEach((email) => landingEmails.add(email));
        const key = `uploads/${company.id}/${name}/${name}.csv`;
        await getStorage().write(key, file.body, { contentType: "text/csv", size: file.body.length });
        await attachStoredFile({ companyId: company.id, sessionId, key, fileName: `${name}.csv` });
      }
      await startSession({ companyId: company.id, sessionId });
      // This process runs no background work: the session's run waits for a worker.
      expect(await db.select({ status: backgroundRuns.status }).from(backgroundRuns)).toEqual([{ status: "QUEUED" }]);
      await letGo();

      // Killed once a third file is staging (the first two ran at once), then again once the next server
      // has staged a chunk.
      await runBackgroundWorker({
        env: workerEnv,
        concurrency: WORKER_CONCURRENCY,
        killWhen: stagingRunsSeen(SESSION_CONCURRENCY + 1),
      });
      db = await reopen();
      const [midway] = await db.select().from(uploadSessions).where(eq(uploadSessions.id, sessionId));
      expect(midway?.status).toBe("RUNNING");
      const [unfinished] = await db
        .select({ files: count() })
        .from(uploadSessionFiles)
        .where(
          and(eq(uploadSessionFiles.sessionId, sessionId), inArray(uploadSessionFiles.status, ["ATTACHED", "RUNNING"])),
        );
      expect(unfinished?.files).toBeGreaterThan(0);
      await letGo();
      await runBackgroundWorker({ env: workerEnv, concurrency: WORKER_CONCURRENCY, killWhen: stagingRunsSeen(1) });

      // The last restart runs until no background run is left.
      await runBackgroundWorker({ env: workerEnv, concurrency: WORKER_CONCURRENCY });
      db = await reopen();

      const [ended] = await db.select().from(uploadSessions).where(eq(uploadSessions.id, sessionId));
      expect(ended).toMatchObject({
        status: "COMPLETED",
        totalFiles: names.length,
        completedFiles: GOOD_FILES,
        needsReviewFiles: 1,
        refusedFiles: 0,
        failedFiles: 0,
        cancelledFiles: 0,
      });

      // One job per file, none with two, each in the status its file calls for.
      const sessionJobs = await db
        .select({
          id: jobs.id,
          fileName: jobs.fileName,
          status: jobs.status,
          processingRunId: jobs.processingRunId,
          stagedRows: jobs.stagedRows,
          landedRows: sql<number>`${jobs.insertedCount} + ${jobs.updatedCount}`.mapWith(Number),
          sizeBytes: jobs.sizeBytes,
        })
        .from(jobs)
        .where(eq(jobs.uploadSessionId, sessionId));
      expect(sessionJobs.map((job) => [job.fileName, job.status]).sort()).toEqual(
        names.map((name) => [`${name}.csv`, name === "with-issue" ? "NEEDS_REVIEW" : "COMPLETED"]).sort(),
      );
      const files = await db.select().from(uploadSessionFiles).where(eq(uploadSessionFiles.sessionId, sessionId));
      expect(new Set(files.map((file) => file.jobId)).size).toBe(names.length);
      const jobIds = sessionJobs.map((job) => job.id);
      // Each job was processed by one run: started once on its timeline, claimed by a run that completed.
      const starts = await db
        .select({ jobId: jobEvents.jobId, starts: count() })
        .from(jobEvents)
        .where(and(inArray(jobEvents.jobId, jobIds), eq(jobEvents.status, "PROCESSING")))
        .groupBy(jobEvents.jobId);
      expect(starts.map((row) => row.starts)).toEqual(names.map(() => 1));
      const claimingRuns = await db
        .select({ status: backgroundRuns.status })
        .from(backgroundRuns)
        .where(
          inArray(
            backgroundRuns.id,
            sessionJobs.map((job) => job.processingRunId ?? ""),
          ),
        );
      expect(claimingRuns.map((run) => run.status)).toEqual(names.map(() => "COMPLETED"));

      // Nothing landed or staged twice.
      const [landed] = await db.select({ contacts: count() }).from(contacts).where(eq(contacts.companyId, company.id));
      expect(landed?.contacts).toBe(landingEmails.size);
      const staged = await db
        .select({ rows: count(), distinctRows: countDistinct(stagingRows.rowNumber) })
        .from(stagingRows)
        .where(inArray(stagingRows.jobId, jobIds))
        .groupBy(stagingRows.jobId);
      expect(staged).toEqual(names.map(() => ({ rows: ROWS, distinctRows: ROWS })));

      // The session's counters are the sums over its jobs.
      const sum = (pick: (job: (typeof sessionJobs)[number]) => number) =>
        sessionJobs.reduce((total, job) => total + pick(job), 0);
      const [issueRows] = await db
        .select({ rows: countDistinct(issueItems.stagingId) })
        .from(issueItems)
        .where(inArray(issueItems.jobId, jobIds));
      expect(ended).toMatchObject({
        rowsStaged: sum((job) => job.stagedRows),
        rowsLanded: sum((job) => job.landedRows),
        rowsWithIssues: issueRows?.rows,
        bytes: sum((job) => job.sizeBytes),
      });
      expect(ended?.rowsStaged).toBe(names.length * ROWS);
      expect(ended?.rowsLanded).toBe(landingEmails.size);

      // Every background run ended, none failed.
      const runs = await db
        .select({ status: backgroundRuns.status, runs: count() })
        .from(backgroundRuns)
        .groupBy(backgroundRuns.status);
      expect(runs.map((row) => row.status)).toEqual(["COMPLETED"]);
    },
  );
});
