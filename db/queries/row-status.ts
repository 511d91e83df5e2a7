import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { idList } from "@/db/search";

/**
 * The status a row should have now: SKIPPED stays SKIPPED (a decision); a row an open issue claims,
 * or whose own email is wrong, is ISSUE; any other is READY. Applied to the rows a review write
 * touched: `rowIds`, and every row of `issueIds`. Only rows whose status changes are written.
 */
export async function settleRowStatuses({
  db,
  jobId,
  rowIds = [],
  issueIds = [],
}: {
  db: Database;
  jobId: number;
  rowIds?: readonly number[];
  issueIds?: readonly number[];
}): Promise<void> {
  if (rowIds.length === 0 && issueIds.length === 0) return;
  await db.execute(sql`
    UPDATE staging_rows s SET status = settled.status, updated_at = now()
    FROM (
      SELECT r.id,
        CASE
          WHEN r.status = 'SKIPPED' THEN 'SKIPPED'
          WHEN r.row_check <> 'OK' OR EXISTS (
            SELECT 1 FROM issue_items ii JOIN issues i ON i.id = ii.issue_id
            WHERE ii.staging_id = r.id AND NOT i.resolved
          ) THEN 'ISSUE'
          ELSE 'READY'
        END::staging_status AS status
      -- Driven by the ids (primary key lookups), never by a scan of the job's rows.
      FROM (
        SELECT id FROM staging_rows WHERE id IN ${idList(rowIds)}
        UNION
        SELECT ii.staging_id FROM issue_items ii WHERE ii.issue_id IN ${idList(issueIds)}
      ) touched
        JOIN staging_rows r ON r.id = touched.id
      WHERE r.job_id = ${jobId}
    ) settled
    WHERE s.id = settled.id AND s.status <> settled.status`);
}
