import "server-only";
import type { Logger } from "pino";
import { getDb } from "@/db";
import { deleteJobRecord, lockJob } from "@/db/queries/jobs";
import type { Job } from "@/db/schema";
import { jobNotFound } from "@/lib/ingest/company-job";
import { jobAllows, statusesAllowing } from "@/lib/ingest/job-status";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getStorage } from "@/lib/storage";

/**
 * Deletes the company's job with its staging rows, issues and timeline, then its stored file. The
 * status is checked on the job's row locked for the delete: a job that started PROCESSING (or was
 * reprocessed) a moment before is refused, never deleted under its run. 404 for a job the company does
 * not have; 400 for a status that does not allow it (naming the cancel that does, for a running job).
 * The file goes after the commit: a file that cannot be removed is logged, the job stays deleted.
 */
export async function deleteJob({
  jobId,
  companyId,
  log = logger(),
}: {
  jobId: number;
  companyId: string;
  log?: Logger;
}): Promise<Job> {
  const db = await getDb();
  const job = await db.transaction(async (tx) => {
    const locked = await lockJob({ db: tx, jobId, companyId });
    if (!locked) throw jobNotFound(jobId);
    if (!jobAllows(locked.status, "delete")) throw notDeletable(locked);
    await deleteJobRecord({ db: tx, jobId });
    return locked;
  });
  await getStorage()
    .remove(job.storageKey)
    .catch((error: unknown) =>
      log.warn({ err: error, key: job.storageKey }, "job deleted but its file could not be removed"),
    );
  return job;
}

function notDeletable(job: Job): DomainError {
  const hint = jobAllows(job.status, "cancel") ? ` (cancel it first: POST /api/jobs/${job.id}/cancel)` : "";
  return new DomainError(
    "BAD_REQUEST",
    `Job ${job.id} is ${job.status}; only ${statusesAllowing("delete")} jobs can be deleted${hint}`,
    {
      status: job.status,
    },
  );
}
