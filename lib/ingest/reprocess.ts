import "server-only";
import { clearJobForReprocess } from "@/db/queries/jobs";
import type { Job } from "@/db/schema";
import { requireCompanyJob } from "@/lib/ingest/company-job";
import { JOB_ACTION_STATUSES, statusesAllowing } from "@/lib/ingest/job-status";
import { queueJob } from "@/lib/ingest/register";
import { DomainError } from "@/lib/errors";

/**
 * Clears what processing produced (staging rows, issues, counters) and makes the job PENDING again,
 * when its status allows a reprocess; null (nothing changed) otherwise.
 */
export function resetJobForReprocess({
  jobId,
  actorUserId,
}: {
  jobId: number;
  actorUserId: string | null;
}): Promise<Job | null> {
  return clearJobForReprocess({ jobId, from: JOB_ACTION_STATUSES.reprocess, actorUserId });
}

/**
 * The company's job starts over: reset, then queued to be processed again from its stored file. 404 for
 * a job the company does not have, 409 for a status that does not allow it (a running job is cancelled
 * first), 503 when it cannot be queued (it stays PENDING, ready to reprocess again).
 */
export async function reprocessJob({
  jobId,
  companyId,
  actorUserId,
}: {
  jobId: number;
  companyId: string;
  actorUserId: string | null;
}): Promise<Job> {
  const job = await requireCompanyJob({ jobId, companyId });
  const reset = await resetJobForReprocess({ jobId: job.id, actorUserId });
  if (!reset) {
    throw new DomainError(
      "CONFLICT",
      `Job ${job.id} is ${job.status}; only ${statusesAllowing("reprocess")} jobs can be reprocessed`,
      {
        status: job.status,
      },
    );
  }
  await queueJob({ job: reset });
  return reset;
}
