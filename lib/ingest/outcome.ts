import "server-only";
import { getDb } from "@/db";
import { findJobForWorker, lastJobEvent } from "@/db/queries/jobs";
import type { JobStatus } from "@/db/schema";
import { dispatch } from "@/lib/background/dispatch";
import { JOB_FINISHED } from "@/lib/background/events";
import { logger } from "@/lib/logger";

/** The statuses a job rests in until someone acts: what listeners of app/job.finished are told of. */
export const OUTCOME_STATUSES: readonly JobStatus[] = ["COMPLETED", "NEEDS_REVIEW", "FAILED", "REVERTED", "CANCELLED"];

export type JobOutcome = {
  jobId: number;
  companyId: string;
  status: JobStatus;
  uploadSessionId: number | null;
  jobEventId: number;
};

/** The job's outcome as it stands, or null while it is still pending or processing (or gone). */
export async function currentJobOutcome({ jobId }: { jobId: number }): Promise<JobOutcome | null> {
  const job = await findJobForWorker({ jobId });
  if (!job || !OUTCOME_STATUSES.includes(job.status)) return null;
  const last = await lastJobEvent({ db: await getDb(), jobId });
  if (!last) return null;
  return {
    jobId,
    companyId: job.companyId,
    status: job.status,
    uploadSessionId: job.uploadSessionId,
    jobEventId: last.id,
  };
}

/**
 * Tells the listeners of app/job.finished (webhooks, upload sessions) the job's outcome, read as it stands
 * now; nothing while it has none. Background functions call it as a named step after their work.
 */
export async function announceJobOutcome({ jobId }: { jobId: number }): Promise<JobOutcome | null> {
  const outcome = await currentJobOutcome({ jobId });
  if (outcome) await dispatch({ name: JOB_FINISHED, data: outcome });
  return outcome;
}

/**
 * The same after a request changed the job (revert, cancel): the change is stored and answered either
 * way, so an event that cannot be handed over is logged rather than failing the request.
 */
export async function announceJobOutcomeAfterRequest({ jobId }: { jobId: number }): Promise<void> {
  try {
    await announceJobOutcome({ jobId });
  } catch (error) {
    logger().error({ err: error, jobId }, "the job's outcome could not be announced");
  }
}
