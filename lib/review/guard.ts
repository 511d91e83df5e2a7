import type { Job } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { jobAllows, statusesAllowing } from "@/lib/ingest/job-status";

/** Review writes change a job's rows and issues only while it waits in NEEDS_REVIEW. */
export function requireReview(job: Pick<Job, "id" | "status">, what: string): void {
  if (!jobAllows(job.status, "review")) {
    throw new DomainError(
      "CONFLICT",
      `Job ${job.id} is ${job.status}; ${what} only while it is ${statusesAllowing("review")}`,
      {
        job_id: job.id,
        status: job.status,
      },
    );
  }
}
