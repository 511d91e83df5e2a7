import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database, JobScope } from "@/db";
import { identityOf } from "@/db/queries/identity";
import {
  conflictDescription,
  duplicateDescription,
  emailIssueKey,
  rowCheckDescription,
  rowCheckKey,
} from "@/db/queries/issue-sql";
import { rowsOf } from "@/db/rows";
import { idList } from "@/db/search";

/*
 * The statements that check one edited row again (lib/review/recheck.ts runs them in order, in the
 * caller's transaction, which holds the job's lock), with the keys, wording and identity comparison
 * detection used at ingestion. Every statement touches one row, or one email's rows within one job.
 * Each returns the issues it changed.
 */

export type RecheckedRow = { id: number; jobId: number; companyId: string };

const issueIds = (result: unknown): number[] =>
  rowsOf<{ issue_id: number | string }>(result).map((each) => Number(each.issue_id));

/**
 * The open issues the row no longer fits lose it: a row-check issue once its check is another, a
 * duplicate or conflict once its email changed (or, for a conflict, once it matches the contact).
 * Resolved issues keep their rows, as the record of what was decided.
 */
export async function leaveIssues({ db, row }: { db: Database; row: RecheckedRow }): Promise<number[]> {
  return issueIds(
    await db.execute(sql`
      DELETE FROM issue_items ii
      USING issues i, staging_rows s
      WHERE ii.staging_id = ${row.id} AND i.id = ii.issue_id AND s.id = ii.staging_id
        AND i.company_id = ${row.companyId} AND NOT i.resolved
        AND NOT coalesce(CASE
          WHEN i.type IN ('MALFORMED_ROW', 'MISSING_EMAIL', 'INVALID_EMAIL', 'VALUE_TOO_LONG') THEN s.row_check::text = i.type::text
          WHEN i.type = 'DUPLICATE_EMAIL' THEN s.row_check = 'OK' AND s.email = i.subject
          WHEN i.type = 'CONTACT_CONFLICT' THEN s.row_check = 'OK' AND s.email = i.subject AND EXISTS (
            SELECT 1 FROM contacts c
            WHERE c.company_id = ${row.companyId} AND c.email = s.email AND ${identityOf("s")} IS DISTINCT FROM ${identityOf("c")}
          )
        END, false)
      RETURNING ii.issue_id`),
  );
}

// Raising. Each statement inserts the issue if it is new (or, with a no-op update, returns the existing
// one) and links the rows it claims; it returns the issues that gained a row.

/**
 * The issue `candidate` selects (job_id, company_id, type, issue_key, subject, description; none when
 * the row does not call for it), inserted or found by its key, with the edited row linked to it.
 */
async function raiseForRow({
  db,
  row,
  candidate,
  onExisting,
}: {
  db: Database;
  row: RecheckedRow;
  candidate: SQL;
  onExisting: SQL;
}): Promise<number[]> {
  return issueIds(
    await db.execute(sql`
      WITH raised AS (
        INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
        ${candidate}
        ON CONFLICT (job_id, issue_key) DO UPDATE SET ${onExisting}
        RETURNING id
      )
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT id, ${row.id}, ${row.jobId} FROM raised
      ON CONFLICT (issue_id, staging_id) DO NOTHING
      RETURNING issue_id`),
  );
}

/** The issue of the row's own check, unless the row is OK or SKIPPED. */
export function raiseRowCheckIssue({ db, row }: { db: Database; row: RecheckedRow }): Promise<number[]> {
  return raiseForRow({
    db,
    row,
    candidate: sql`
      SELECT s.job_id, s.company_id, s.row_check::text::issue_type, ${rowCheckKey("s")}, s.row_number::text, ${rowCheckDescription("s")}
      FROM staging_rows s
      WHERE s.id = ${row.id} AND s.company_id = ${row.companyId} AND s.row_check <> 'OK' AND s.status <> 'SKIPPED'`,
    // The description quotes the email, which the edit may have changed.
    onExisting: sql`description = EXCLUDED.description`,
  });
}

/**
 * A duplicate, when another row of the job, not skipped, has the row's email and a different identity:
 * every such row joins the issue.
 */
export async function raiseDuplicateIssue({ db, row }: { db: Database; row: RecheckedRow }): Promise<number[]> {
  return issueIds(
    await db.execute(sql`
      WITH members AS (
        SELECT s.id, s.email, ${identityOf("s")} IS DISTINCT FROM ${identityOf("r")} AS differs
        FROM staging_rows r
          JOIN staging_rows s ON s.job_id = r.job_id AND s.email = r.email
        WHERE r.id = ${row.id} AND r.company_id = ${row.companyId} AND r.row_check = 'OK' AND r.status <> 'SKIPPED'
          AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
      ),
      raised AS (
        INSERT INTO issues (job_id, company_id, type, issue_key, subject, description)
        SELECT ${row.jobId}::bigint, ${row.companyId}::uuid, 'DUPLICATE_EMAIL'::issue_type,
          ${emailIssueKey("DUPLICATE_EMAIL", sql`email`)}, email, ${duplicateDescription(sql`email`, sql`count(*)`)}
        FROM members
        GROUP BY email
        HAVING bool_or(differs)
        ON CONFLICT (job_id, issue_key) DO UPDATE SET subject = EXCLUDED.subject
        RETURNING id
      )
      INSERT INTO issue_items (issue_id, staging_id, job_id)
      SELECT raised.id, members.id, ${row.jobId} FROM raised CROSS JOIN members
      ON CONFLICT (issue_id, staging_id) DO NOTHING
      RETURNING issue_id`),
  );
}

/** A conflict, when the company's contact with the row's email has a different identity. */
export function raiseConflictIssue({ db, row }: { db: Database; row: RecheckedRow }): Promise<number[]> {
  return raiseForRow({
    db,
    row,
    candidate: sql`
      SELECT s.job_id, s.company_id, 'CONTACT_CONFLICT'::issue_type, ${emailIssueKey("CONTACT_CONFLICT", sql`s.email`)}, s.email,
        ${conflictDescription("s", "c")}
      FROM staging_rows s
        JOIN contacts c ON c.company_id = s.company_id AND c.email = s.email
      WHERE s.id = ${row.id} AND s.company_id = ${row.companyId} AND s.row_check = 'OK' AND s.status <> 'SKIPPED'
        AND ${identityOf("s")} IS DISTINCT FROM ${identityOf("c")}`,
    onExisting: sql`subject = EXCLUDED.subject`,
  });
}

/** Of these issues of the row's job, the resolved ones are open again. */
export async function reopenResolvedIssues({
  db,
  row,
  issueIds: ids,
}: {
  db: Database;
  row: RecheckedRow;
  issueIds: number[];
}): Promise<number[]> {
  return issueIds(
    await db.execute(sql`
      UPDATE issues SET resolved = false, resolved_at = NULL, resolved_by = NULL
      WHERE job_id = ${row.jobId} AND company_id = ${row.companyId} AND resolved AND id IN ${idList(ids)}
      RETURNING id AS issue_id`),
  );
}

/**
 * Of the open `candidates`, and the open duplicates the row is in (an edited name can make it the same
 * person as the others), those with nothing left to decide are resolved by `actor`: an issue left
 * empty, or a duplicate whose rows no longer differ. `comment` is kept unless the issue has one.
 */
export async function resolveSettledIssues({
  db,
  row,
  candidates,
  actor,
  comment,
}: {
  db: Database;
  row: RecheckedRow;
  candidates: number[];
  actor: string;
  comment: string;
}): Promise<number[]> {
  return issueIds(
    await db.execute(sql`
      UPDATE issues i SET resolved = true, resolved_at = now(), resolved_by = ${actor},
        resolution_comment = coalesce(i.resolution_comment, ${comment})
      WHERE i.job_id = ${row.jobId} AND i.company_id = ${row.companyId} AND NOT i.resolved
        AND (
          i.id IN ${idList(candidates)}
          OR (i.type = 'DUPLICATE_EMAIL' AND i.id IN (SELECT ii.issue_id FROM issue_items ii WHERE ii.staging_id = ${row.id}))
        )
        AND NOT CASE
          WHEN i.type = 'DUPLICATE_EMAIL' THEN (
            SELECT count(DISTINCT ${identityOf("s")}) FROM issue_items ii JOIN staging_rows s ON s.id = ii.staging_id
            WHERE ii.issue_id = i.id
          ) > 1
          ELSE EXISTS (SELECT 1 FROM issue_items ii WHERE ii.issue_id = i.id)
        END
      RETURNING i.id AS issue_id`),
  );
}

/** The job's issue count, counted again (a re-check may have raised issues). */
export async function recountJobIssues({ db, jobId, companyId }: JobScope): Promise<void> {
  await db.execute(sql`
      UPDATE jobs SET issue_count = (SELECT count(*) FROM issues WHERE job_id = ${jobId}), updated_at = now()
      WHERE id = ${jobId} AND company_id = ${companyId}`);
}
