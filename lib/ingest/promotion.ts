import "server-only";
import { transitionJob } from "@/db/queries/jobs";
import type { StepRunner } from "@/lib/ingest/pipeline";
import {
  insertNewContacts,
  planPromotion,
  settlePromotion,
  updateExistingContacts,
  type ImportMode,
  type PromotionCounts,
} from "@/lib/ingest/promote";

/**
 * The READY rows of a PROCESSING job become contacts, and the job COMPLETED: new emails inserted range
 * by range, then existing contacts updated (as the import mode allows), then the counts settled. The
 * one promotion of Intake: a clean file right after detection (process-job) and a reviewed job once
 * its last issue is resolved (finish-review) both land their rows here, as the same named steps.
 */
export async function promoteRows({
  jobId,
  companyId,
  importMode,
  rangeSize,
  step,
}: {
  jobId: number;
  companyId: string;
  importMode: ImportMode;
  /** Staging ids per insert step; promotion is all SQL, so this can be larger than a staging chunk. */
  rangeSize: number;
  step: StepRunner;
}): Promise<PromotionCounts> {
  if (importMode !== "update") {
    const ranges = await step.run("plan-promotion", () => planPromotion({ jobId, rangeSize }));
    for (const [index, range] of ranges.entries()) {
      await step.run(`insert-contacts-${index}`, () => insertNewContacts({ jobId, companyId, range }).then(() => true));
    }
  }
  if (importMode !== "create") {
    await step.run("update-contacts", () => updateExistingContacts({ jobId, companyId }).then(() => true));
  }
  return step.run("complete", async () => {
    const counts = await settlePromotion({ jobId, companyId });
    await transitionJob({
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
  });
}
