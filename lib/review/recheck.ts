import "server-only";
import type { Database } from "@/db";
import { undoDecision } from "@/db/queries/issue-decisions";
import {
  leaveIssues,
  raiseConflictIssue,
  raiseDuplicateIssue,
  raiseRowCheckIssue,
  recountJobIssues,
  reopenResolvedIssues,
  resolveSettledIssues,
  type RecheckedRow,
} from "@/db/queries/recheck";
import { settleRowStatuses } from "@/db/queries/row-status";

type RowRef = RecheckedRow & { rowNumber: number };

/**
 * Checks an edited row again, after its normalised values are written, with the rules detection
 * used at ingestion (same keys and wording, same identity comparison), inside the caller's
 * transaction (which holds the job's lock):
 *
 * 1. The row leaves every open issue it no longer fits: a row-check issue (malformed, missing or invalid
 *    email, value too long) once its check is another, a duplicate or conflict once its email changed (or,
 *    for a conflict, once it matches the contact).
 *    Resolved issues keep their rows, as the record of what was decided.
 * 2. Unless the row is SKIPPED, it raises (or joins) the issues its values now call for: its row
 *    check's (a row has one: the first of malformed, missing email, invalid email, value too long, so
 *    an edit that fixes one raises the next), a duplicate (another row of the job, not skipped, with
 *    its email and a different identity — that row joins too), a conflict with the company's contact.
 *    A resolved issue that gains a row is reopened.
 * 3. An open issue left empty, or a duplicate whose rows no longer differ, is resolved in the editor's
 *    name.
 * 4. The statuses of the rows involved are settled (see settleRowStatuses).
 *
 * Every statement (db/queries/recheck.ts) touches one row, or one email's rows within one job.
 */
export async function recheckRow({ db, row, actor }: { db: Database; row: RowRef; actor: string }): Promise<void> {
  const left = await leaveIssues({ db, row });
  const joined = [
    ...(await raiseRowCheckIssue({ db, row })),
    ...(await raiseDuplicateIssue({ db, row })),
    ...(await raiseConflictIssue({ db, row })),
  ];
  const reopened = await reopenIssues({ db, row, issueIds: joined });
  const resolved = await resolveSettledIssues({
    db,
    row,
    candidates: left,
    actor,
    comment: `Settled by an edit of row ${row.rowNumber}`,
  });
  await settleRowStatuses({
    db,
    jobId: row.jobId,
    rowIds: [row.id],
    issueIds: [...left, ...joined, ...reopened, ...resolved],
  });
  if (joined.length > 0) await recountJobIssues({ db, jobId: row.jobId, companyId: row.companyId });
}

/**
 * A resolved issue that gained a row needs a decision again: as with any reopening, what its
 * resolution decided for its rows is taken back first.
 */
async function reopenIssues({
  db,
  row,
  issueIds,
}: {
  db: Database;
  row: RowRef;
  issueIds: number[];
}): Promise<number[]> {
  if (issueIds.length === 0) return [];
  for (const issueId of new Set(issueIds)) await undoDecision({ db, companyId: row.companyId, issueId });
  return reopenResolvedIssues({ db, row, issueIds });
}
