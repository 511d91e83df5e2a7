import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Database, type JobScope } from "@/db";
import { identityOf } from "@/db/queries/identity";
import {
  conflictDescription,
  duplicateDescription,
  emailIssueKey,
  rowCheckDescription,
  rowCheckKey,
} from "@/db/queries/issue-sql";
import { anyJoins, hashJoinsOnly, issueByKey } from "@/db/queries/lookups";
import { rowsOf } from "@/db/rows";

/*
 * The statements that find a staged job's issues (lib/ingest/detect.ts runs them, in order, in one
 * transaction). Each is idempotent (issues are unique on job + key, items on issue + row), so detection
 * can run again after a crash, or after edits, without duplicating anything.
 *
 * Every statement's plan stays linear whatever the statistics say (a job's rows are new to them): each
 * reads the job's rows once, and where it meets another table it either looks each row up by a key
 * only one index serves, or hash-joins (db/queries/lookups.ts), so no plan can loop over the job for
 * every row of the other side.
 */

/** Fresh statistics for staging_rows (freshly COPYed rows have none). */
export async function analyzeStagingRows(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`ANALYZE staging_rows`);
}

/**
 * Both kinds of repeated email, from the job's checked rows, into the transaction's temporary table
 * `repeated_rows`: a row repeating an earlier row's identity (position > 1) and an email under several
 * identities. One sort of the whole job by email alone finds the emails that occur more than once; only
 * their rows (a few percent) are then ranked by identity, and only the repeats kept, so the statements
 * after this work on thousands of rows.
 */
export async function collectRepeatedRows({ db, jobId }: { db: Database; jobId: number }): Promise<void> {
  await db.execute(sql`
      CREATE TEMP TABLE repeated_rows ON COMMIT DROP AS
      SELECT id, email, position, identities FROM (
        SELECT id, email, position, count(*) FILTER (WHERE position = 1) OVER (PARTITION BY email) AS identities
        FROM (
          SELECT id, email, row_number() OVER (PARTITION BY email, ${identityOf("r")} ORDER BY row_number) AS position
          FROM (
            SELECT s.id, s.email, s.first_name, s.last_name, s.company, s.row_number,
              count(*) OVER (PARTITION BY s.email) AS occurrences
            FROM staging_rows s
            WHERE s.job_id = ${jobId} AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
          ) r
          WHERE occurrences > 1
        ) ranked
      ) counted
      WHERE position > 1 OR identities > 1`);
  // A new table has no statistics: without them the planner may scan it once per issue.
  await db.execute(sql`ANALYZE repeated_rows`);
}

/** Exact duplicates (same email, same identity) are one contact said twice: the first is kept, the rest SKIPPED. */
export async function skipExactDuplicates({ db }: { db: Database }): Promise<void> {
  await db.execute(sql`
      UPDATE staging_rows s SET status = 'SKIPPED', updated_at = now()
      FROM repeated_rows d
      WHERE s.id = d.id AND d.position > 1`);
}

/** A row whose own email is missing or malformed (or whose record is): one issue per row. */
export async function raiseRowCheckIssues({ db, jobId }: { db: Database; jobId: number }): Promise<void> {
  await db.execute(sql`
      INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
      SELECT s.job_id, s.company_id, s.row_check::text::issue_type, ${rowCheckKey("s")}, s.row_number::text,
        ${rowCheckDescription("s")}
      FROM staging_rows s
      WHERE s.job_id = ${jobId} AND s.row_check <> 'OK'
      ON CONFLICT (job_id, issue_key) DO NOTHING`);
  await db.execute(sql`
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT i.id, s.id, s.job_id
      FROM staging_rows s
        CROSS JOIN LATERAL (${issueByKey(jobId, rowCheckKey("s"))}) i
      WHERE s.job_id = ${jobId} AND s.row_check <> 'OK'
      ON CONFLICT (issue_id, staging_id) DO NOTHING`);
}

/**
 * The same email with different identities, from `repeated_rows` (exact duplicates are skipped first,
 * so each identity's first row is what remains): one issue per email, claiming those rows.
 */
export async function raiseDuplicateEmailIssues({ db, jobId, companyId }: JobScope): Promise<void> {
  await db.execute(sql`
      INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
      SELECT DISTINCT ON (email) ${jobId}, ${companyId}, 'DUPLICATE_EMAIL', ${emailIssueKey("DUPLICATE_EMAIL", sql`email`)}, email,
        ${duplicateDescription(sql`email`, sql`identities`)}
      FROM repeated_rows
      WHERE identities > 1 AND position = 1
      ORDER BY email
      ON CONFLICT (job_id, issue_key) DO NOTHING`);
  await db.execute(sql`
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT i.id, d.id, ${jobId}
      FROM repeated_rows d
        CROSS JOIN LATERAL (${issueByKey(jobId, emailIssueKey("DUPLICATE_EMAIL", sql`d.email`))}) i
      WHERE d.identities > 1 AND d.position = 1
      ON CONFLICT (issue_id, staging_id) DO NOTHING`);
}

/**
 * The email is already a contact of the company under a different identity: one issue per email. The
 * job's rows meet the company's contacts in one hash join, linear in both whatever the statistics say
 * (see hashJoinsOnly).
 */
export async function raiseContactConflictIssues({ db, jobId, companyId }: JobScope): Promise<void> {
  await hashJoinsOnly(db);
  await db.execute(sql`
        CREATE TEMP TABLE conflicting_rows ON COMMIT DROP AS
        SELECT s.id, s.email, ${conflictDescription("s", "c")} AS description
        FROM staging_rows s JOIN contacts c ON c.company_id = ${companyId} AND c.email = s.email
        WHERE s.job_id = ${jobId} AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
          AND ${identityOf("s")} IS DISTINCT FROM ${identityOf("c")}`);
  await anyJoins(db);
  await db.execute(sql`ANALYZE conflicting_rows`);
  await db.execute(sql`
        INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
        SELECT DISTINCT ON (email) ${jobId}, ${companyId}, 'CONTACT_CONFLICT', ${emailIssueKey("CONTACT_CONFLICT", sql`email`)},
          email, description
        FROM conflicting_rows
        ORDER BY email, id
        ON CONFLICT (job_id, issue_key) DO NOTHING`);
  await db.execute(sql`
        INSERT INTO issue_items (issue_id, staging_id, job_id)
        SELECT i.id, d.id, ${jobId}
        FROM conflicting_rows d
          CROSS JOIN LATERAL (${issueByKey(jobId, emailIssueKey("CONTACT_CONFLICT", sql`d.email`))}) i
        ON CONFLICT (issue_id, staging_id) DO NOTHING`);
}

/** The job's READY rows some issue claims become ISSUE, found through the job's issues rather than a pass over its rows. */
export async function markClaimedRows({ db, jobId }: { db: Database; jobId: number }): Promise<void> {
  await db.execute(sql`
      UPDATE staging_rows s SET status = 'ISSUE', updated_at = now()
      FROM (
        SELECT DISTINCT ii.staging_id
        FROM issues i CROSS JOIN LATERAL (SELECT staging_id FROM issue_items WHERE issue_id = i.id OFFSET 0) ii
        WHERE i.job_id = ${jobId}
      ) claimed
      WHERE s.id = claimed.staging_id AND s.status = 'READY'`);
}

export type DetectionCounts = { issues: number; skipped: number; rowsWithIssues: number };

/** The job's issues, and its rows detection SKIPPED or marked ISSUE. */
export async function countDetection({ jobId }: { jobId: number }): Promise<DetectionCounts> {
  const db = await getDb();
  const [counts] = rowsOf<{ issues: number; skipped: number; with_issues: number }>(
    await db.execute(sql`
      SELECT
        (SELECT count(*)::int FROM issues WHERE job_id = ${jobId}) AS issues,
        count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped,
        count(*) FILTER (WHERE status = 'ISSUE')::int AS with_issues
      FROM staging_rows WHERE job_id = ${jobId} AND status IN ('SKIPPED', 'ISSUE')`),
  );
  return { issues: counts?.issues ?? 0, skipped: counts?.skipped ?? 0, rowsWithIssues: counts?.with_issues ?? 0 };
}
