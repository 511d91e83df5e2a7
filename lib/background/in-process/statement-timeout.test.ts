import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, useDatabase, type DatabaseHandle } from "@/db";
import { rowsOf } from "@/db/rows";
import { findJobForWorker } from "@/db/queries/jobs";
import { JOB_UPLOADED } from "@/lib/background/events";
import { dispatch } from "@/lib/background/dispatch";
import { configureRunner, drain } from "@/lib/background/in-process/runner";
import { createThrowawayDatabase, testBackends } from "@/test/database";
import { withTempDataDir } from "@/test/data-dir";
import { createCompany } from "@/test/fixtures";
import { storedJob } from "@/test/ingest";

const [, postgresBackend] = testBackends();
const STATEMENT_TIMEOUT_MS = 300;

describe.skipIf(!postgresBackend?.serverUrl)("a step that outruns the statement timeout (postgres)", () => {
  withTempDataDir("intake-statement-timeout");
  let handle: DatabaseHandle | undefined;
  let url = "";
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const throwaway = await createThrowawayDatabase(postgresBackend?.serverUrl ?? "");
    ({ url, drop } = throwaway);
    handle = await openDatabase({ kind: "postgres", url, max: 4, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await handle.migrate();
    useDatabase(handle);
    configureRunner({ backoffMs: [5, 5, 5, 5] });
  });

  afterAll(async () => {
    try {
      await handle?.close();
    } finally {
      await drop?.();
    }
  });

  it("is cancelled by Postgres, retried, and after the last retry the job is FAILED naming the step", async () => {
    const db = handle?.db;
    if (!db) throw new Error("no database");
    const company = await createCompany(db);
    const job = await storedJob(db, company, "email,first_name,last_name,company\nana@example.com,Ana,Silva,Acme\n");

    // Another session holds the staging table: every attempt to stage waits on it until the timeout ends the wait.
    const locker = postgres(url, { max: 1, onnotice: () => {} });
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = locker.begin(async (tx) => {
      await tx`LOCK TABLE staging_rows IN ACCESS EXCLUSIVE MODE`;
      locked();
      await held;
    });
    try {
      await isLocked;
      await dispatch({ name: JOB_UPLOADED, data: { jobId: job.id, companyId: company.id } });
      await drain({ timeoutMs: 30_000 });
    } finally {
      release();
      await holding;
      await locker.end({ timeout: 5 });
    }

    const failed = await findJobForWorker({ jobId: job.id });
    expect(failed?.status).toBe("FAILED");
    expect(failed?.error).toBe(
      'Processing failed: Step "stage-rows-0" failed: canceling statement due to statement timeout',
    );
    // Four attempts: the first and process-job's three retries.
    const [run] = rowsOf<{ status: string; attempts: number }>(
      await db.execute(sql`SELECT status, attempts FROM background_runs`),
    );
    expect(run).toEqual({ status: "FAILED", attempts: 4 });
  });
});
