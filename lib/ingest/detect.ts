import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { findJob } from "@/db/queries/jobs";
import { rowsOf } from "@/db/rows";
import { identityOf } from "@/lib/ingest/identity";
import { conflictDescription, duplicateDescription, emailIssueKey, rowCheckDescription, rowCheckKey } from "@/lib/ingest/issue-sql";

const ANALYZE_FROM_ROWS = 20_000;

export type Detection = { issues: number; skipped: number; rowsWithIssues: number };

/**
 * Finds every issue of a staged job with a handful of set-based statements. Each statement is
 * idempotent (issues are unique on job + key, items on issue + row), so detection can run again
 * after a crash, or after edits, without duplicating anything.
 */
export async function detectIssues({ jobId, companyId }: { jobId: number; companyId: string }): Promise<Detection> {
  const db = await getDb();
  // Freshly COPYed rows have no statistics yet; without them the planner misjudges the statements that
  // follow, here and in promotion (minutes instead of seconds on a large file). A small job is cheap
  // whatever the plan, and spared the cost of sampling the table.
  const job = await findJob({ jobId });
  if ((job?.stagedRows ?? 0) >= ANALYZE_FROM_ROWS) await db.execute(sql`ANALYZE staging_rows`);
  await db.transaction(async (tx) => {
    // Every statement here works on the job's rows as a set, where hash joins are always right.
    await tx.execute(sql`SET LOCAL enable_nestloop = off`);
    // Exact duplicates (same email, same identity) are one contact said twice: keep the first, skip the rest.
    await tx.execute(sql`
      UPDATE staging_rows s SET status = 'SKIPPED', updated_at = now()
      FROM (
        SELECT id, row_number() OVER (PARTITION BY email, ${identityOf("r")} ORDER BY row_number) AS position
        FROM staging_rows r
        WHERE r.job_id = ${jobId} AND r.row_check = 'OK' AND r.status <> 'SKIPPED'
      ) d
      WHERE s.id = d.id AND d.position > 1`);

    // A row whose own email is missing or malformed: one issue per row.
    await tx.execute(sql`
      INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
      SELECT s.job_id, s.company_id, s.row_check::text::issue_type, ${rowCheckKey("s")}, s.row_number::text,
        ${rowCheckDescription("s")}
      FROM staging_rows s
      WHERE s.job_id = ${jobId} AND s.row_check <> 'OK'
      ON CONFLICT (job_id, issue_key) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT i.id, s.id, s.job_id
      FROM issues i JOIN staging_rows s ON s.job_id = i.job_id AND s.row_number = i.subject::int
      WHERE i.job_id = ${jobId} AND i.type IN ('MISSING_EMAIL', 'INVALID_EMAIL')
      ON CONFLICT (issue_id, staging_id) DO NOTHING`);

    // The same email with different identities (exact duplicates are already skipped): one issue per email.
    await tx.execute(sql`
      INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
      SELECT ${jobId}, ${companyId}, 'DUPLICATE_EMAIL', ${emailIssueKey("DUPLICATE_EMAIL", sql`email`)}, email,
        ${duplicateDescription(sql`email`, sql`count(*)`)}
      FROM staging_rows
      WHERE job_id = ${jobId} AND row_check = 'OK' AND status <> 'SKIPPED'
      GROUP BY email
      HAVING count(*) > 1
      ON CONFLICT (job_id, issue_key) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT i.id, s.id, s.job_id
      FROM issues i JOIN staging_rows s ON s.job_id = i.job_id AND s.email = i.subject
      WHERE i.job_id = ${jobId} AND i.type = 'DUPLICATE_EMAIL' AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
      ON CONFLICT (issue_id, staging_id) DO NOTHING`);

    // The email is already a contact of the company under a different identity: one issue per email.
    await tx.execute(sql`
      INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
      SELECT DISTINCT ON (s.email) ${jobId}, ${companyId}, 'CONTACT_CONFLICT', ${emailIssueKey("CONTACT_CONFLICT", sql`s.email`)},
        s.email, ${conflictDescription("s", "c")}
      FROM staging_rows s JOIN contacts c ON c.company_id = ${companyId} AND c.email = s.email
      WHERE s.job_id = ${jobId} AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
        AND ${identityOf("s")} IS DISTINCT FROM ${identityOf("c")}
      ORDER BY s.email
      ON CONFLICT (job_id, issue_key) DO NOTHING`);
    await tx.execute(sql`
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT i.id, s.id, s.job_id
      FROM issues i
        JOIN staging_rows s ON s.job_id = i.job_id AND s.email = i.subject
        JOIN contacts c ON c.company_id = ${companyId} AND c.email = s.email
      WHERE i.job_id = ${jobId} AND i.type = 'CONTACT_CONFLICT' AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
        AND ${identityOf("s")} IS DISTINCT FROM ${identityOf("c")}
      ON CONFLICT (issue_id, staging_id) DO NOTHING`);

    await tx.execute(sql`
      UPDATE staging_rows s SET status = 'ISSUE', updated_at = now()
      WHERE s.job_id = ${jobId} AND s.status = 'READY'
        AND EXISTS (SELECT 1 FROM issue_items ii WHERE ii.staging_id = s.id)`);
  });

  const [counts] = rowsOf<{ issues: number; skipped: number; with_issues: number }>(
    await db.execute(sql`
      SELECT
        (SELECT count(*)::int FROM issues WHERE job_id = ${jobId}) AS issues,
        (SELECT count(*)::int FROM staging_rows WHERE job_id = ${jobId} AND status = 'SKIPPED') AS skipped,
        (SELECT count(*)::int FROM staging_rows WHERE job_id = ${jobId} AND status = 'ISSUE') AS with_issues`),
  );
  return { issues: counts?.issues ?? 0, skipped: counts?.skipped ?? 0, rowsWithIssues: counts?.with_issues ?? 0 };
}
