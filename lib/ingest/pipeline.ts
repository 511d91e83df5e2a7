import "server-only";
import { claimProcessingJob, findJobForWorker, transitionJob } from "@/db/queries/jobs";
import { env } from "@/lib/env";
import {
  cancellableSteps,
  endUnfinishedJob,
  JobCancelledError,
  stopCancelledJob,
  unlessCancelled,
} from "@/lib/ingest/cancel";
import { detectIssues } from "@/lib/ingest/detect";
import { promoteRows } from "@/lib/ingest/promotion";
import { stageChunk, type StageCursor } from "@/lib/ingest/stage";
import { failureReason, type StepRunner } from "@/lib/background/definition";
import { logger } from "@/lib/logger";

export type PipelineOutcome = { status: "COMPLETED" | "NEEDS_REVIEW" | "SKIPPED" | "CANCELLED"; rows: number };

/**
 * One uploaded file from stored object to contacts: stage every row in chunks, detect issues, then
 * either wait for review or promote the rows and complete. Every side effect is inside a named step.
 * A job asked to stop stops before its next step and undoes what it landed (lib/ingest/cancel.ts).
 */
export async function processJob({
  jobId,
  runId,
  step,
  chunkRows = env().INGEST_CHUNK_ROWS,
}: {
  jobId: number;
  /** The background run processing the job: the one run that may (see the "start" step). */
  runId: string;
  step: StepRunner;
  chunkRows?: number;
}): Promise<PipelineOutcome> {
  return stopWhenCancelled({
    jobId,
    step,
    cancelled: { status: "CANCELLED", rows: 0 },
    work: (steps) => runPipeline({ jobId, runId, step: steps, chunkRows }),
    leftToAnotherRun: async () => {
      const job = await findJobForWorker({ jobId });
      return job?.processingRunId && job.processingRunId !== runId ? SKIPPED : null;
    },
  });
}

const SKIPPED: PipelineOutcome = { status: "SKIPPED", rows: 0 };

/**
 * Runs `work` with steps that stop once the job is asked to; a stopped run ends with one more step
 * that undoes what it landed and marks the job CANCELLED, and answers `cancelled`.
 */
export async function stopWhenCancelled<T>({
  jobId,
  step,
  cancelled,
  work,
  leftToAnotherRun,
}: {
  jobId: number;
  step: StepRunner;
  cancelled: T;
  work: (steps: StepRunner) => Promise<T>;
  /**
   * For a stopped run that never had the job: the outcome to answer when another run has it. Stopping is
   * then that run's (undoing here could race its landing step and leave what that step lands).
   */
  leftToAnotherRun?: () => Promise<T | null>;
}): Promise<T> {
  try {
    return await work(cancellableSteps({ jobId, step }));
  } catch (error) {
    if (!(error instanceof JobCancelledError)) throw error;
    const left = await leftToAnotherRun?.();
    if (left) return left;
    await step.run("stop-cancelled", () => stopCancelledJob({ jobId }));
    return cancelled;
  }
}

async function runPipeline({
  jobId,
  runId,
  step,
  chunkRows,
}: {
  jobId: number;
  runId: string;
  step: StepRunner;
  chunkRows: number;
}): Promise<PipelineOutcome> {
  const started = await step.run("start", async () => {
    // The run claims the job as it starts it. A retried start of the same run (its first attempt died after
    // claiming) finds the job claimed by it and goes on; another run for the same job (it was dispatched
    // twice: a session queues a file again when its server died between dispatching and recording that)
    // finds it claimed or finished, and leaves it to the run that has it.
    const job =
      (await transitionJob({
        jobId,
        from: ["PENDING"],
        to: "PROCESSING",
        message: "Processing started",
        patch: { startedAt: new Date(), error: null, cancelRequestedAt: null, processingRunId: runId },
      })) ?? (await claimProcessingJob({ jobId, runId }));
    if (!job?.layout) return null;
    return {
      companyId: job.companyId,
      importMode: job.importMode,
      dataOffset: job.layout.dataOffset,
      sizeBytes: job.sizeBytes,
    };
  });
  if (!started) {
    logger().warn(
      { job_id: jobId, run_id: runId },
      "job is not waiting to be processed (another run has it, or it has ended); nothing to do",
    );
    return SKIPPED;
  }

  const rowsPerStep = stepRows({ sizeBytes: started.sizeBytes, chunkRows });
  let cursor: StageCursor = { chunk: 0, offset: started.dataOffset, nextRow: 2, staged: 0, done: false };
  while (!cursor.done) {
    const current = cursor;
    cursor = await step.run(`stage-rows-${current.chunk}`, () =>
      stageChunk({ jobId, cursor: current, chunkRows: rowsPerStep }),
    );
  }

  const detection = await step.run("detect-issues", () => detectIssues({ jobId, companyId: started.companyId }));
  if (detection.issues > 0) {
    const waiting = await step.run("await-review", () =>
      unlessCancelled({
        jobId,
        companyId: started.companyId,
        finish: (tx) =>
          transitionJob({
            db: tx,
            jobId,
            from: ["PROCESSING"],
            to: "NEEDS_REVIEW",
            message: `${detection.issues} issue${detection.issues === 1 ? "" : "s"} to review`,
            patch: { issueCount: detection.issues, skippedCount: detection.skipped },
          }).then((moved) => moved !== null),
      }),
    );
    // Null (asked to stop) or false (no longer PROCESSING): either way this run goes no further.
    if (!waiting) throw new JobCancelledError(jobId, "await-review");
    return { status: "NEEDS_REVIEW", rows: cursor.staged };
  }

  await promoteRows({
    jobId,
    companyId: started.companyId,
    importMode: started.importMode,
    rangeSize: promotionRangeSize({ sizeBytes: started.sizeBytes, chunkRows }),
    step,
  });
  return { status: "COMPLETED", rows: cursor.staged };
}

// Inngest allows a run about a thousand steps. Assuming rows of at least 30 bytes, a file of any size
// allowed is staged in at most 600 chunks (a 1 GiB file in chunks of about 60,000 rows).
const MAX_STAGING_STEPS = 600;
const MIN_ROW_BYTES = 30;

/** Rows per staging step: the configured chunk, grown for very large files to bound the step count. */
export function stepRows({ sizeBytes, chunkRows }: { sizeBytes: number; chunkRows: number }): number {
  return Math.max(chunkRows, Math.ceil(sizeBytes / (MAX_STAGING_STEPS * MIN_ROW_BYTES)));
}

// Promotion ranges of about 50,000 rows: larger ones were slower (200,000 took 25% longer a row), and a
// step inserts two at once, so a file of 100,000 rows keeps both cores busy. Grown for very large files
// so that promotion stays under about 200 steps of two ranges.
const PROMOTION_RANGE_ROWS = 50_000;
const MAX_PROMOTION_RANGES = 400;

/** Staging ids per promotion range: at most a staging step's rows, at most 50,000, grown for very large files. */
export function promotionRangeSize({ sizeBytes, chunkRows }: { sizeBytes: number; chunkRows: number }): number {
  return Math.max(
    Math.min(chunkRows, PROMOTION_RANGE_ROWS),
    Math.ceil(sizeBytes / (MAX_PROMOTION_RANGES * MIN_ROW_BYTES)),
  );
}

/**
 * After the last retry: the job is FAILED with a reason a person can read, and what it had landed is
 * undone (a failed job has no contact of its own; reprocessing it lands them again). When the undoing
 * fails too (the database that failed the step may still be failing), the job is FAILED all the same,
 * its timeline saying what could not be undone: a job always ends.
 */
export async function failJob({ jobId, reason }: { jobId: number; reason: string }): Promise<void> {
  try {
    await endUnfinishedJob({ jobId, to: "FAILED", message: reason, patch: { error: reason } });
  } catch (error) {
    logger().error(
      { err: error, job_id: jobId },
      "could not undo what the failed job landed; marking it FAILED as it is",
    );
    await transitionJob({
      jobId,
      from: ["PENDING", "PROCESSING"],
      to: "FAILED",
      message: `${reason} (what it had landed could not be undone: ${failureReason(error)}; reprocess or revert it)`,
      patch: { error: reason, finishedAt: new Date() },
    });
  }
}
