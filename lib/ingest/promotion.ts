import "server-only";
import { transitionJob } from "@/db/queries/jobs";
import { updateExistingContacts } from "@/db/queries/landing";
import { JobCancelledError, unlessCancelled } from "@/lib/ingest/cancel";
import type { StepRunner } from "@/lib/background/definition";
import {
  insertNewContacts,
  planPromotion,
  settlePromotion,
  type ImportMode,
  type PromotionCounts,
} from "@/lib/ingest/promote";

// Inserting contacts is the database's work alone (this process waits), so a step inserts two ranges at
// once, each in its own transaction on its own connection: two cores busy instead of one. A job's READY
// rows have distinct emails, so the two never wait on each other; each range stays idempotent by itself.
const PARALLEL_RANGES = 2;

type Promotion = {
  jobId: number;
  companyId: string;
  importMode: ImportMode;
  /** Staging ids per insert range; promotion is all SQL, so this can be larger than a staging chunk. */
  rangeSize: number;
  step: StepRunner;
};

/**
 * The READY rows of a PROCESSING job become contacts, and the job COMPLETED: new emails inserted range
 * by range, then existing contacts updated (as the import mode allows), then the counts settled. The
 * one promotion of Intake: a clean file right after detection (process-job) and a reviewed job once
 * its last issue is resolved (finish-review) both land their rows here, as the same named steps.
 */
export async function promoteRows(promotion: Promotion): Promise<PromotionCounts> {
  const { jobId, companyId, step } = promotion;
  await landRows(promotion);
  const completed = await step.run("complete", () =>
    // Under the job's lock, as a cancel request takes it: the job completes, or it was asked to stop
    // first and nothing here is written.
    unlessCancelled({
      jobId,
      companyId,
      finish: async (tx) => {
        const counts = await settlePromotion({ db: tx, jobId, companyId });
        await transitionJob({
          db: tx,
          jobId,
          from: ["PROCESSING"],
          to: "COMPLETED",
          message: `${counts.inserted} inserted, ${counts.updated} updated, ${counts.skipped} skipped`,
          patch: {
            insertedCount: counts.inserted,
            updatedCount: counts.updated,
            skippedCount: counts.skipped,
            finishedAt: new Date(),
          },
        });
        return counts;
      },
    }),
  );
  if (!completed) throw new JobCancelledError(jobId, "complete");
  return completed;
}

/** The steps that write contacts: inserts (two ranges a step), then the updates. Each can run again. */
export async function landRows({ jobId, companyId, importMode, rangeSize, step }: Promotion): Promise<void> {
  if (importMode !== "update") {
    const { ranges, companyWasEmpty } = await step.run("plan-promotion", () =>
      planPromotion({ jobId, companyId, rangeSize, rangesAtOnce: PARALLEL_RANGES }),
    );
    for (let index = 0; index * PARALLEL_RANGES < ranges.length; index++) {
      const group = ranges.slice(index * PARALLEL_RANGES, (index + 1) * PARALLEL_RANGES);
      await step.run(`insert-contacts-${index}`, () =>
        allSettled(group.map((range) => insertNewContacts({ jobId, companyId, range, companyWasEmpty }))),
      );
    }
  }
  if (importMode !== "create") {
    await step.run("update-contacts", () => updateExistingContacts({ jobId, companyId }).then(() => true));
  }
}

/** Waits for every one (so a retried step never overlaps an attempt still running), then fails with the first error. */
async function allSettled(work: Promise<void>[]): Promise<true> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  return true;
}
