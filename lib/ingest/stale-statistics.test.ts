import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, useDatabase, type Database, type DatabaseHandle } from "@/db";
import { rowsOf } from "@/db/rows";
import { findJobForWorker } from "@/db/queries/jobs";
import type { StepRunner } from "@/lib/background/definition";
import { processJob } from "@/lib/ingest/pipeline";
import { createThrowawayDatabase, testBackends } from "@/test/database";
import { withTempDataDir } from "@/test/data-dir";
import { createCompany } from "@/test/fixtures";
import { storedJob } from "@/test/ingest";

/*
 * The planner judges a new job by statistics taken before it existed: one row expected where there
 * are tens of thousands. A statement it can turn into a loop over the job once per row of the other
 * side then takes the square of the job's size (a 90,000-row job once sat 17 minutes in one UPDATE).
 * Here, on a real Postgres whose statistics predate the jobs and are never refreshed (autovacuum off),
 * jobs are detected and landed under a statement timeout that only a linear plan fits in.
 */

const EXISTING_CONTACTS = 60_000;
const EARLIER_STAGED_ROWS = 300_000;
const JOB_ROWS = 30_000;
const STATEMENT_TIMEOUT_MS = 20_000;
const immediate: StepRunner = { run: (_id, work) => work() };

function csv(rows: number, emailOf: (index: number) => string, companyOf: (index: number) => string): string {
  let body = "email,first_name,last_name,company\n";
  for (let index = 0; index < rows; index += 1)
    body += `${emailOf(index)},Old${index + 1},Person${index + 1},${companyOf(index)}\n`;
  return body;
}

/** Company B's contacts again, spelt in upper case: the same identities (only updates, or nothing, to land). */
const companyBInUpperCase = () =>
  csv(
    JOB_ROWS,
    (index) => `fresh${index + 1}@example.com`,
    () => "OLDCO",
  ).replace(/Old(\d+),Person/g, "OLD$1,PERSON");

const [, postgresBackend] = testBackends();

/** EXISTING_CONTACTS contacts of the company, `<prefix><n>@example.com`, "Old<n> Person<n>" of Oldco, from an earlier job. */
async function insertContacts(db: Database, companyId: string, prefix: string): Promise<void> {
  await db.execute(sql`
    INSERT INTO contacts (company_id, email, first_name, last_name, company, source_job_id, last_job_id)
    SELECT ${companyId}, ${prefix} || n || '@example.com', 'Old' || n, 'Person' || n, 'Oldco', 999999, 999999
    FROM generate_series(1, ${EXISTING_CONTACTS}) AS n`);
}

describe.skipIf(!postgresBackend?.serverUrl)("plans on statistics that predate the job (postgres)", () => {
  withTempDataDir("intake-stale-stats");
  let handle: DatabaseHandle | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const throwaway = await createThrowawayDatabase(postgresBackend?.serverUrl ?? "");
    drop = throwaway.drop;
    handle = await openDatabase({
      kind: "postgres",
      url: throwaway.url,
      max: 4,
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    });
    await handle.migrate();
    useDatabase(handle);
    for (const table of ["staging_rows", "contacts", "issues", "issue_items", "contact_changes"]) {
      await handle.db.execute(sql.raw(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`));
    }
  });

  afterAll(async () => {
    try {
      await handle?.close();
    } finally {
      await drop?.();
    }
  });

  it("lands, updates and detects on statistics that predate the jobs, well inside the statement timeout", async () => {
    const db = handle?.db;
    if (!db) throw new Error("no database");
    // Company A's contacts all come from one earlier job, and were analysed as autovacuum would after it:
    // the statistics know that job and no other. Company B's contacts arrive after that analysis (as
    // another job of B lands them while this one runs): the statistics know B has none.
    const companyA = await createCompany(db);
    const companyB = await createCompany(db);
    await insertContacts(db, companyA.id, "old");
    await db.execute(sql`
      INSERT INTO staging_rows (job_id, company_id, row_number, email, first_name, last_name, company, status)
      SELECT 999999, ${companyA.id}, n + 1, 'old' || n || '@example.com', 'Old' || n, 'Person' || n, 'Oldco', 'IMPORTED'
      FROM generate_series(1, ${EARLIER_STAGED_ROWS}) AS n`);
    for (const table of ["contacts", "staging_rows", "issues", "issue_items", "contact_changes"]) {
      await db.execute(sql.raw(`ANALYZE ${table}`));
    }
    await insertContacts(db, companyB.id, "fresh");

    const started = Date.now();
    // Into A, a clean file of new people: every row lands and the counts are settled.
    const clean = await storedJob(
      db,
      companyA,
      csv(
        JOB_ROWS,
        (index) => `new${index}@example.com`,
        () => "Newco",
      ),
    );
    expect(await processJob({ jobId: clean.id, runId: "test-run", step: immediate })).toEqual({
      status: "COMPLETED",
      rows: JOB_ROWS,
    });
    expect(await findJobForWorker({ jobId: clean.id })).toMatchObject({
      status: "COMPLETED",
      insertedCount: JOB_ROWS,
      skippedCount: 0,
    });

    // Into B, the people it has, spelt in upper case: the same identities, so every one is an update.
    const updates = await storedJob(db, companyB, companyBInUpperCase());
    expect(await processJob({ jobId: updates.id, runId: "test-run", step: immediate })).toEqual({
      status: "COMPLETED",
      rows: JOB_ROWS,
    });
    expect(await findJobForWorker({ jobId: updates.id })).toMatchObject({
      status: "COMPLETED",
      insertedCount: 0,
      updatedCount: JOB_ROWS,
    });

    // Into B in create mode, the same people again: nothing to insert, so every row is left READY and
    // the counts are settled by the join of the leftovers with the contacts (each row SKIPPED).
    const again = await storedJob(db, companyB, companyBInUpperCase(), { importMode: "create" });
    expect(await processJob({ jobId: again.id, runId: "test-run", step: immediate })).toEqual({
      status: "COMPLETED",
      rows: JOB_ROWS,
    });
    expect(await findJobForWorker({ jobId: again.id })).toMatchObject({
      status: "COMPLETED",
      insertedCount: 0,
      updatedCount: 0,
      skippedCount: JOB_ROWS,
    });

    // Into B, the people it has under other companies, each twice: conflicts and duplicates.
    const clashing = await storedJob(
      db,
      companyB,
      csv(
        JOB_ROWS,
        (index) => `fresh${(index % (JOB_ROWS / 2)) + 1}@example.com`,
        (index) => (index < JOB_ROWS / 2 ? "Elsewhere" : "Elsewhere Too"),
      ),
    );
    expect(await processJob({ jobId: clashing.id, runId: "test-run", step: immediate })).toEqual({
      status: "NEEDS_REVIEW",
      rows: JOB_ROWS,
    });
    const [issueCounts] = rowsOf<{ conflicts: number; duplicates: number }>(
      await db.execute(sql`
        SELECT count(*) FILTER (WHERE type = 'CONTACT_CONFLICT')::int AS conflicts, count(*) FILTER (WHERE type = 'DUPLICATE_EMAIL')::int AS duplicates
        FROM issues WHERE job_id = ${clashing.id}`),
    );
    expect(issueCounts).toEqual({ conflicts: JOB_ROWS / 2, duplicates: JOB_ROWS / 2 });

    // Far under the timeout: a plan quadratic in a job takes minutes here.
    expect((Date.now() - started) / 1000).toBeLessThan(STATEMENT_TIMEOUT_MS / 1000);
  });
});
