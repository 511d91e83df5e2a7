import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, useDatabase, type DatabaseHandle } from "@/db";
import { findJob } from "@/db/queries/jobs";
import { contacts, jobs } from "@/db/schema";
import { processJob, type StepRunner } from "@/lib/ingest/pipeline";
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
  for (let index = 0; index < rows; index += 1) body += `${emailOf(index)},First${index},Last${index},${companyOf(index)}\n`;
  return body;
}

const [, postgresBackend] = testBackends();

describe.skipIf(!postgresBackend?.serverUrl)("plans on statistics that predate the job (postgres)", () => {
  withTempDataDir("intake-stale-stats");
  let handle: DatabaseHandle | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const throwaway = await createThrowawayDatabase(postgresBackend?.serverUrl ?? "");
    drop = throwaway.drop;
    handle = await openDatabase({ kind: "postgres", url: throwaway.url, max: 4, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
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

  it("lands a job in a company whose statistics predate it, and detects one full of conflicts, well inside the statement timeout", async () => {
    const db = handle?.db;
    if (!db) throw new Error("no database");
    const company = await createCompany(db);
    // The company's contacts, all from one earlier job, analysed as autovacuum would after that job:
    // the statistics know no other job. Nothing refreshes them after.
    await db.execute(sql`
      INSERT INTO contacts (company_id, email, first_name, last_name, company, source_job_id, last_job_id)
      SELECT ${company.id}, 'old' || n || '@example.com', 'Old' || n, 'Person' || n, 'Oldco', 999999, 999999
      FROM generate_series(1, ${EXISTING_CONTACTS}) AS n`);
    // And the earlier job's staged rows, several times a job's: the job's own rows are a small part of the table.
    await db.execute(sql`
      INSERT INTO staging_rows (job_id, company_id, row_number, email, first_name, last_name, company, status)
      SELECT 999999, ${company.id}, n + 1, 'old' || n || '@example.com', 'Old' || n, 'Person' || n, 'Oldco', 'IMPORTED'
      FROM generate_series(1, ${EARLIER_STAGED_ROWS}) AS n`);
    for (const table of ["contacts", "staging_rows", "issues", "issue_items", "contact_changes"]) {
      await db.execute(sql.raw(`ANALYZE ${table}`));
    }

    // A clean file of new people: every row lands, and its counts are settled.
    const clean = await storedJob(db, company, csv(JOB_ROWS, (index) => `new${index}@example.com`, () => "Newco"));
    const started = Date.now();
    expect(await processJob({ jobId: clean.id, step: immediate })).toEqual({ status: "COMPLETED", rows: JOB_ROWS });
    const cleanSeconds = (Date.now() - started) / 1000;
    expect(await findJob({ jobId: clean.id })).toMatchObject({ status: "COMPLETED", insertedCount: JOB_ROWS, skippedCount: 0 });

    // A file of people the company has, under other companies, and each twice: conflicts and duplicates.
    const clashing = await storedJob(
      db,
      company,
      csv(
        JOB_ROWS,
        (index) => `old${(index % (JOB_ROWS / 2)) + 1}@example.com`,
        (index) => (index < JOB_ROWS / 2 ? "Elsewhere" : "Elsewhere Too"),
      ),
    );
    expect(await processJob({ jobId: clashing.id, step: immediate })).toEqual({ status: "NEEDS_REVIEW", rows: JOB_ROWS });
    const [issueCounts] = await db.execute<{ conflicts: number; duplicates: number }>(sql`
      SELECT count(*) FILTER (WHERE type = 'CONTACT_CONFLICT')::int AS conflicts, count(*) FILTER (WHERE type = 'DUPLICATE_EMAIL')::int AS duplicates
      FROM issues WHERE job_id = ${clashing.id}`);
    expect(issueCounts).toEqual({ conflicts: JOB_ROWS / 2, duplicates: JOB_ROWS / 2 });

    const [landed] = await db.select({ n: sql<number>`count(*)::int` }).from(contacts).where(eq(contacts.companyId, company.id));
    expect(landed?.n).toBe(EXISTING_CONTACTS + JOB_ROWS);
    // Far under the timeout: a plan quadratic in the job would take minutes.
    expect(cleanSeconds).toBeLessThan(STATEMENT_TIMEOUT_MS / 1000);
    const [job] = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, clean.id));
    expect(job?.status).toBe("COMPLETED");
  });
});
