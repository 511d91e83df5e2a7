import "server-only";
import { jobsReadyToFinish } from "@/db/queries/issues";
import { REVIEW_COMPLETED } from "@/lib/background/events";
import { dispatch } from "@/lib/background/dispatch";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/**
 * After a review write has committed: each of these jobs still in NEEDS_REVIEW with no open issue
 * left is handed to finish-review. Sending twice is harmless (the function finishes a job once),
 * so the check runs after every write, even one that changed nothing: repeating a request retries
 * a hand-over that failed.
 */
export async function finishReviewedJobs({ jobIds }: { jobIds: readonly number[] }): Promise<void> {
  for (const job of await jobsReadyToFinish({ jobIds: [...new Set(jobIds)] })) {
    try {
      await dispatch({ name: REVIEW_COMPLETED, data: { jobId: job.id, companyId: job.companyId } });
    } catch (error) {
      logger().error({ err: error, job_id: job.id }, "could not hand the reviewed job over to be finished");
      throw new DomainError(
        "SERVICE_UNAVAILABLE",
        `The change was saved, but job ${job.id} could not be queued to finish; repeat the request to try again`,
        { job_id: job.id, saved: true },
      );
    }
  }
}
