import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { rowsOf } from "@/db/rows";
import { idList } from "@/db/search";
import type { StagingRow } from "@/db/schema";

type StagingStatus = StagingRow["status"];

/**
 * What resolving issues does to their rows. Without a kept row (resolving, or keeping a conflict's
 * existing contact) every row of the issues becomes SKIPPED; with one, that row becomes READY and
 * the others SKIPPED.
 */
export type RowDecision = { companyId: string; issueIds: readonly number[]; keptRowId: number | null };

/** A row whose status a decision changes: as it is now, and as the decision leaves it. */
export type DecidedRow = {
  stagingId: number;
  jobId: number;
  rowNumber: number;
  statusNow: StagingStatus;
  statusAfter: StagingStatus;
};

export type DecisionPreview = { toSkip: number; toKeep: number; alreadySkipped: number; changed: DecidedRow[] };

/**
 * The one rule for what a decision does, read by its preview and by its write: one line per issue
 * item of the company's open issues named, with the status the decision records the row had
 * (`decided_from`) and the one it sets (`decided_to`). A row in several of the issues is decided by
 * each in id order, so only the first finds it as it is now; the later ones find it SKIPPED. Driven
 * by the issue ids (the items' key, then the rows' primary key), never by a scan of the job's rows.
 */
function decisionPlan({ companyId, issueIds, keptRowId }: RowDecision): SQL {
  return sql`
    SELECT ii.id AS item_id, ii.issue_id, ii.staging_id, s.job_id, s.row_number, s.status AS status_now,
      CASE WHEN ii.issue_id = min(ii.issue_id) OVER (PARTITION BY ii.staging_id) THEN s.status ELSE 'SKIPPED' END::staging_status
        AS decided_from,
      CASE WHEN ii.staging_id = ${keptRowId ?? null}::bigint THEN 'READY' ELSE 'SKIPPED' END::staging_status AS decided_to
    FROM issues i
      JOIN issue_items ii ON ii.issue_id = i.id
      JOIN staging_rows s ON s.id = ii.staging_id AND s.job_id = i.job_id
    WHERE i.company_id = ${companyId} AND NOT i.resolved AND i.id IN ${idList(issueIds)}`;
}

/** Each row of the plan once, with the status the last issue deciding it leaves it in. */
function decidedRows(decision: RowDecision): SQL {
  return sql`
    SELECT staging_id, job_id, row_number, status_now, (array_agg(decided_to ORDER BY issue_id DESC))[1] AS status_after
    FROM (${decisionPlan(decision)}) plan
    GROUP BY staging_id, job_id, row_number, status_now`;
}

/** What a decision would do, written nowhere: the counts, and the first `limit` rows it changes in job and row order. */
export async function previewDecision({
  db,
  limit,
  ...decision
}: RowDecision & { db: Database; limit: number }): Promise<DecisionPreview> {
  const [counts] = rowsOf<{ to_skip: number; to_keep: number; already_skipped: number }>(
    await db.execute(sql`
      SELECT
        count(*) FILTER (WHERE status_after = 'SKIPPED' AND status_now <> 'SKIPPED')::int AS to_skip,
        count(*) FILTER (WHERE status_after = 'READY')::int AS to_keep,
        count(*) FILTER (WHERE status_after = 'SKIPPED' AND status_now = 'SKIPPED')::int AS already_skipped
      FROM (${decidedRows(decision)}) decided`),
  );
  const changed = rowsOf<{
    staging_id: number | string;
    job_id: number | string;
    row_number: number;
    status_now: StagingStatus;
    status_after: StagingStatus;
  }>(
    await db.execute(sql`
      SELECT * FROM (${decidedRows(decision)}) decided
      WHERE status_after <> status_now
      ORDER BY job_id, row_number
      LIMIT ${limit}`),
  );
  return {
    toSkip: counts?.to_skip ?? 0,
    toKeep: counts?.to_keep ?? 0,
    alreadySkipped: counts?.already_skipped ?? 0,
    changed: changed.map((row) => ({
      stagingId: Number(row.staging_id),
      jobId: Number(row.job_id),
      rowNumber: row.row_number,
      statusNow: row.status_now,
      statusAfter: row.status_after,
    })),
  };
}

/**
 * Carries a decision out (the caller holds the job's lock and resolves the issues in the same
 * transaction): each issue item records what the decision found and set, and each row takes its new
 * status. Returns how many rows it skipped and how many it turned READY.
 */
export async function applyDecision({
  db,
  ...decision
}: RowDecision & { db: Database }): Promise<{ skipped: number; kept: number }> {
  // Both updates read the same snapshot of the plan; a data-modifying WITH runs whether or not it is read.
  const [changed] = rowsOf<{ skipped: number; kept: number }>(
    await db.execute(sql`
      WITH plan AS MATERIALIZED (${decisionPlan(decision)}),
      recorded AS (
        UPDATE issue_items ii SET decided_from = plan.decided_from, decided_to = plan.decided_to
        FROM plan WHERE ii.id = plan.item_id
      ),
      decided AS (
        SELECT staging_id, (array_agg(decided_to ORDER BY issue_id DESC))[1] AS status_after FROM plan GROUP BY staging_id
      ),
      moved AS (
        UPDATE staging_rows s SET status = decided.status_after, updated_at = now()
        FROM decided
        WHERE s.id = decided.staging_id AND s.status <> decided.status_after
        RETURNING s.status
      )
      SELECT count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped, count(*) FILTER (WHERE status = 'READY')::int AS kept FROM moved`),
  );
  return { skipped: changed?.skipped ?? 0, kept: changed?.kept ?? 0 };
}

/**
 * Takes back what a resolved issue decided for its rows (before it is reopened, with the job locked):
 * decisions on one row stack up in the order they were made (issues' resolved_at, then id). Where a
 * later decision of another resolved issue still stands on the row, that one now starts from where
 * this one did, and the row stays as it is. Otherwise the row goes back to the status this decision
 * found, unless something else has changed it since (an edit that skipped or unskipped it). The
 * records are cleared. Returns the rows put back.
 */
export async function undoDecision({
  db,
  companyId,
  issueId,
}: {
  db: Database;
  companyId: string;
  issueId: number;
}): Promise<number[]> {
  const restored = rowsOf<{ id: number | string }>(
    await db.execute(sql`
      WITH mine AS MATERIALIZED (
        SELECT ii.id AS item_id, ii.staging_id, ii.decided_from, ii.decided_to, i.resolved_at, i.id AS issue_id
        FROM issues i JOIN issue_items ii ON ii.issue_id = i.id
        WHERE i.id = ${issueId} AND i.company_id = ${companyId} AND ii.decided_to IS NOT NULL
      ),
      above AS MATERIALIZED (
        SELECT DISTINCT ON (m.staging_id) o.id AS item_id, m.staging_id, m.decided_from
        FROM mine m
          JOIN issue_items o ON o.staging_id = m.staging_id AND o.issue_id <> m.issue_id AND o.decided_to IS NOT NULL
          JOIN issues j ON j.id = o.issue_id AND j.resolved
        WHERE (j.resolved_at, j.id) > (m.resolved_at, m.issue_id)
        ORDER BY m.staging_id, j.resolved_at, j.id
      ),
      handed AS (
        UPDATE issue_items o SET decided_from = above.decided_from FROM above WHERE o.id = above.item_id
      ),
      cleared AS (
        UPDATE issue_items ii SET decided_from = NULL, decided_to = NULL FROM mine WHERE ii.id = mine.item_id
      )
      UPDATE staging_rows s SET status = m.decided_from, updated_at = now()
      FROM mine m
      WHERE s.id = m.staging_id
        AND m.staging_id NOT IN (SELECT staging_id FROM above)
        AND s.status <> m.decided_from
        AND (s.status = 'SKIPPED') = (m.decided_to = 'SKIPPED')
      RETURNING s.id`),
  );
  return restored.map((row) => Number(row.id));
}

/** Whether the row is one of the issue's. */
export async function isIssueRow({
  db,
  issueId,
  stagingId,
}: {
  db: Database;
  issueId: number;
  stagingId: number;
}): Promise<boolean> {
  const [found] = rowsOf<{ found: boolean }>(
    await db.execute(
      sql`SELECT EXISTS (SELECT 1 FROM issue_items WHERE issue_id = ${issueId} AND staging_id = ${stagingId}) AS found`,
    ),
  );
  return found?.found === true;
}
