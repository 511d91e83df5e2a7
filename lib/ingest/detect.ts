import "server-only";
import { getDb } from "@/db";
import {
  analyzeStagingRows,
  collectRepeatedRows,
  countDetection,
  markClaimedRows,
  raiseContactConflictIssues,
  raiseDuplicateEmailIssues,
  raiseRowCheckIssues,
  skipExactDuplicates,
  type DetectionCounts,
} from "@/db/queries/detection";
import { findJobForWorker } from "@/db/queries/jobs";
import { companyHasContacts } from "@/db/queries/lookups";

const ANALYZE_FROM_ROWS = 20_000;

export type Detection = DetectionCounts;

/**
 * Finds every issue of a staged job with a handful of set-based statements (db/queries/detection.ts).
 * Each statement is idempotent (issues are unique on job + key, items on issue + row), so detection can
 * run again after a crash, or after edits, without duplicating anything.
 *
 * Every statement's plan stays linear whatever the statistics say (a job's rows are new to them): each
 * reads the job's rows once, and where it meets another table it either looks each row up by a key
 * only one index serves, or hash-joins (db/queries/lookups.ts), so no plan can loop over the job for
 * every row of the other side.
 */
export async function detectIssues({ jobId, companyId }: { jobId: number; companyId: string }): Promise<Detection> {
  const db = await getDb();
  // Freshly COPYed rows have no statistics yet; without them the planner misjudges the statements that
  // follow, here and in promotion (minutes instead of seconds on a large file). A small job is cheap
  // whatever the plan, and spared the cost of sampling the table.
  const job = await findJobForWorker({ jobId });
  if ((job?.stagedRows ?? 0) >= ANALYZE_FROM_ROWS) await analyzeStagingRows();
  await db.transaction(async (tx) => {
    await collectRepeatedRows({ db: tx, jobId });
    await skipExactDuplicates({ db: tx });
    await raiseRowCheckIssues({ db: tx, jobId });
    await raiseDuplicateEmailIssues({ db: tx, jobId, companyId });
    // A company with no contacts has no conflicts.
    if (await companyHasContacts({ db: tx, companyId })) await raiseContactConflictIssues({ db: tx, jobId, companyId });
    // Only rows some issue claims change.
    await markClaimedRows({ db: tx, jobId });
  });
  return countDetection({ jobId });
}
