import "server-only";
import type { JobScope } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import {
  countLanding,
  hasReadyRows,
  insertContactsFromRange,
  readyRowBounds,
  settleReadyRows,
} from "@/db/queries/landing";
import type { IMPORT_MODES } from "@/db/schema";
import { splitIds, type IdRange } from "@/lib/ingest/id-ranges";

export type ImportMode = (typeof IMPORT_MODES)[number];
export type PromotionCounts = { inserted: number; updated: number; skipped: number };

// Below this many ids a range is not worth a second connection's round trips.
const MIN_SHARED_RANGE = 1_000;

/**
 * How a job's READY rows will be promoted: in ranges of staging ids, one insert each, and whether the
 * company had no contacts at all when promotion began (then nothing can be in the rows' way, but for a
 * job of the same company landing contacts at the same moment; see insertNewContacts).
 */
export type PromotionPlan = { ranges: IdRange[]; companyWasEmpty: boolean };

export async function planPromotion({
  jobId,
  companyId,
  rangeSize,
  rangesAtOnce,
}: {
  jobId: number;
  companyId: string;
  rangeSize: number;
  /** Ranges inserted side by side: the count is rounded up to a multiple of it so no connection idles. */
  rangesAtOnce: number;
}): Promise<PromotionPlan> {
  const { low, high, companyWasEmpty } = await readyRowBounds({ jobId, companyId });
  if (low === null || high === null) return { ranges: [], companyWasEmpty };
  return {
    ranges: splitIds({ low, high, maxSize: rangeSize, multipleOf: rangesAtOnce, minSize: MIN_SHARED_RANGE }),
    companyWasEmpty,
  };
}

/**
 * Lands new contacts from one range of READY rows (import modes `create` and `upsert`): emails the
 * company does not have yet are inserted, set-based, and their rows marked IMPORTED. An inserted
 * contact names its job in `source_job_id` and `last_job_id` (what revert needs). A re-run finds its
 * rows IMPORTED already, so a crash between commit and record is harmless.
 */
export async function insertNewContacts({
  jobId,
  companyId,
  range,
  companyWasEmpty,
}: {
  jobId: number;
  companyId: string;
  range: IdRange;
  companyWasEmpty: boolean;
}): Promise<void> {
  if (companyWasEmpty) {
    // The job's READY rows have distinct emails, so in a company that had no contacts only another job
    // landing the same emails right now can collide: rare enough to skip ON CONFLICT, which costs a
    // third more on every row, and pay for it only when the insert does collide.
    try {
      await insertContactsFromRange({ jobId, companyId, range, onConflict: false });
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  await insertContactsFromRange({ jobId, companyId, range, onConflict: true });
}

/**
 * After promotion (which marks the rows it lands IMPORTED), the READY rows left are those whose
 * contact this job had already landed in an earlier run (IMPORTED too), and those with nothing to
 * change or excluded by the import mode (SKIPPED). Returns the job's counts. `db` is the caller's
 * transaction (the join setting it makes lasts until that ends).
 */
export async function settlePromotion({ db, jobId, companyId }: JobScope): Promise<PromotionCounts> {
  if (await hasReadyRows({ db, jobId })) await settleReadyRows({ db, jobId, companyId });
  const { imported, updated, skipped } = await countLanding({ db, jobId });
  return { inserted: imported - updated, updated, skipped };
}
