import "server-only";
import { getDb } from "@/db";
import { hasOpenIssues } from "@/db/queries/issues";
import { lastJobEvent, lockJob, transitionJob } from "@/db/queries/jobs";
import { skipUndecidedRows } from "@/db/queries/staging";
import { env } from "@/lib/env";
import type { StepRunner } from "@/lib/background/definition";
import { promotionRangeSize, stopWhenCancelled } from "@/lib/ingest/pipeline";
import { promoteRows } from "@/lib/ingest/promotion";
import type { ImportMode, PromotionCounts } from "@/lib/ingest/promote";
import { logger } from "@/lib/logger";

/** The timeline entry of a finish that started: how a retried start recognises its own work. */
export const FINISH_STARTED_MESSAGE = "Review finished; promoting the rows";

export type FinishOutcome =
  { status: "COMPLETED"; counts: PromotionCounts } | { status: "SKIPPED" } | { status: "CANCELLED" };

/**
 * The body of finish-review: a NEEDS_REVIEW job with no open issue left moves to PROCESSING, its rows
 * still ISSUE (no one decided to keep them) are SKIPPED, and its READY rows are promoted by the same
 * routine as a clean file's (lib/ingest/promotion.ts: same import mode, same change records) before
 * the job is COMPLETED.
 */
export async function finishReview({
  jobId,
  companyId,
  step,
  chunkRows = env().INGEST_CHUNK_ROWS,
}: {
  jobId: number;
  companyId: string;
  step: StepRunner;
  chunkRows?: number;
}): Promise<FinishOutcome> {
  return stopWhenCancelled<FinishOutcome>({
    jobId,
    step,
    cancelled: { status: "CANCELLED" },
    work: async (steps) => {
      const started = await steps.run("start", () => startFinishing({ jobId, companyId }));
      if (!started) {
        logger().warn({ job_id: jobId }, "job is not waiting to be finished; nothing to do");
        return { status: "SKIPPED" };
      }
      const counts = await promoteRows({
        jobId,
        companyId,
        importMode: started.importMode,
        rangeSize: promotionRangeSize({ sizeBytes: started.sizeBytes, chunkRows }),
        step: steps,
      });
      return { status: "COMPLETED", counts };
    },
  });
}

/**
 * Under the job's lock (review writes take it too, so none is half done): the job must be NEEDS_REVIEW
 * with every issue resolved — checked here again, as an issue may have been reopened since the event
 * was sent. A retried start (the first attempt committed, then died) finds the job PROCESSING with
 * this step's entry last on its timeline, and carries on.
 */
async function startFinishing({
  jobId,
  companyId,
}: {
  jobId: number;
  companyId: string;
}): Promise<{ importMode: ImportMode; sizeBytes: number } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const job = await lockJob({ db: tx, jobId, companyId });
    if (!job) return null;
    const plan = { importMode: job.importMode, sizeBytes: job.sizeBytes };
    if (job.status === "PROCESSING") {
      const last = await lastJobEvent({ db: tx, jobId });
      return last?.status === "PROCESSING" && last.message === FINISH_STARTED_MESSAGE ? plan : null;
    }
    if (job.status !== "NEEDS_REVIEW") return null;
    if (await hasOpenIssues({ db: tx, jobId })) return null;

    // Undecided rows are not imported; nor, whatever its status, is a row whose own email is wrong.
    await skipUndecidedRows({ db: tx, jobId, companyId });
    const moved = await transitionJob({
      db: tx,
      jobId,
      from: ["NEEDS_REVIEW"],
      to: "PROCESSING",
      message: FINISH_STARTED_MESSAGE,
      patch: { error: null, cancelRequestedAt: null },
    });
    return moved ? plan : null;
  });
}
