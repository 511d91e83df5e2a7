import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, count, countDistinct, eq, like } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useDatabase, type DatabaseHandle } from "@/db";
import { backgroundRuns, backgroundSteps, contacts, jobs, stagingRows } from "@/db/schema";
import { sniffLayout } from "@/lib/csv";
import { resetEnvForTests } from "@/lib/env";
import { configureRunner, drain } from "@/lib/background/in-process/runner";
import { getStorage, resetStorageForTests } from "@/lib/storage";
import { testBackends } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { runBackgroundWorker, workerDatabase } from "@/test/worker-process";

const ROWS = 20_000;
const CHUNK_ROWS = 500;
const KILL_AFTER_CHUNKS = 3;

function contactsCsv(): Buffer {
  let body = "email,first_name,last_name,company\n";
  for (let index = 0; index < ROWS; index += 1)
    body += `person${index}@example.com,First${index},Last${index},Company ${index % 50}\n`;
  return Buffer.from(body);
}

describe.each(testBackends())("a background run killed between chunks ($kind)", (backend) => {
  let dataDir: string;
  let handle: DatabaseHandle | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await handle?.close();
    await dropDatabase?.();
    vi.unstubAllEnvs();
    resetEnvForTests();
    resetStorageForTests();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(backend.skip)("resumes at the next chunk on restart and finishes with no duplicate", async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "intake-resume-"));
    vi.stubEnv("DATA_DIR", dataDir);
    vi.stubEnv("INGEST_CHUNK_ROWS", String(CHUNK_ROWS));
    resetEnvForTests();
    resetStorageForTests();
    const database = await workerDatabase(backend, dataDir);
    dropDatabase = database.drop;
    const open = database.open;
    const workerEnv = database.workerEnv({ INGEST_CHUNK_ROWS: String(CHUNK_ROWS) });

    // The server that accepted the upload: a stored file, a PENDING job, a queued run.
    handle = await open();
    await handle.migrate();
    useDatabase(handle);
    const company = await createCompany(handle.db);
    const file = contactsCsv();
    const key = `uploads/${company.id}/resume/contacts.csv`;
    await getStorage().write(key, file, { contentType: "text/csv", size: file.length });
    const [job] = await handle.db
      .insert(jobs)
      .values({
        companyId: company.id,
        fileName: "contacts.csv",
        storageKey: key,
        sha256: "resume-test",
        sizeBytes: file.length,
        layout: sniffLayout(file.subarray(0, 64 * 1024), { complete: false }),
      })
      .returning();
    if (!job) throw new Error("no job");
    await handle.db.insert(backgroundRuns).values({
      functionId: "process-job",
      eventName: "app/job.uploaded",
      eventData: { jobId: job.id, companyId: company.id },
    });
    // PGlite is one process's database: let go of it while the worker runs.
    if (backend.kind === "pglite") {
      await handle.close();
      handle = undefined;
    }

    // The worker is killed once it has finished a few staging chunks.
    let chunks = 0;
    await runBackgroundWorker({
      env: workerEnv,
      killWhen: (entry) =>
        entry.message === "step finished" &&
        entry.step?.startsWith("stage-rows-") === true &&
        (chunks += 1) === KILL_AFTER_CHUNKS,
    });

    // The restarted server: the killed run is still RUNNING, mid-file.
    handle ??= await open();
    useDatabase(handle);
    const db = handle.db;
    const [killed] = await db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(killed?.status).toBe("PROCESSING");
    expect(killed?.stagedRows).toBeGreaterThanOrEqual(KILL_AFTER_CHUNKS * CHUNK_ROWS);
    expect(killed?.stagedRows).toBeLessThan(ROWS);
    const stepsBefore = await db
      .select({ stepId: backgroundSteps.stepId, completedAt: backgroundSteps.completedAt })
      .from(backgroundSteps)
      .where(like(backgroundSteps.stepId, "stage-rows-%"));

    configureRunner({ leaseSeconds: 2, backoffMs: [5, 5, 5] });
    await drain({ timeoutMs: 60_000 });

    const [finished] = await db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(finished).toMatchObject({ status: "COMPLETED", totalRows: ROWS, stagedRows: ROWS, insertedCount: ROWS });
    const [staged] = await db
      .select({ rows: count(), distinctRows: countDistinct(stagingRows.rowNumber) })
      .from(stagingRows)
      .where(eq(stagingRows.jobId, job.id));
    expect(staged).toEqual({ rows: ROWS, distinctRows: ROWS });
    const [landed] = await db.select({ n: count() }).from(contacts).where(eq(contacts.companyId, company.id));
    expect(landed?.n).toBe(ROWS);
    // The job's outcome queued runs of other functions since: this is process-job's.
    const [run] = await db.select().from(backgroundRuns).where(eq(backgroundRuns.functionId, "process-job"));
    expect(run).toMatchObject({ status: "COMPLETED", attempts: 2 });
    // The chunks finished before the kill were replayed from their records, not done again.
    for (const step of stepsBefore) {
      const [after] = await db
        .select({ completedAt: backgroundSteps.completedAt })
        .from(backgroundSteps)
        .where(and(eq(backgroundSteps.runId, run?.id ?? ""), eq(backgroundSteps.stepId, step.stepId)));
      expect(after?.completedAt).toEqual(step.completedAt);
    }
    const [chunkSteps] = await db
      .select({ n: count() })
      .from(backgroundSteps)
      .where(like(backgroundSteps.stepId, "stage-rows-%"));
    expect(chunkSteps?.n).toBe(ROWS / CHUNK_ROWS + 1);
  });
});
