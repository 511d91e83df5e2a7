import "server-only";
import { findJob } from "@/db/queries/jobs";
import type { Job } from "@/db/schema";
import { DomainError } from "@/lib/errors";

/** The one answer for a job that is not the caller company's (or does not exist): the same 404 either way. */
export function jobNotFound(jobId: number): DomainError {
  return new DomainError("NOT_FOUND", `Job ${jobId} not found`);
}

/** The caller company's job, or the 404 every job route answers. */
export async function requireCompanyJob({ jobId, companyId }: { jobId: number; companyId: string }): Promise<Job> {
  const job = await findJob({ jobId, companyId });
  if (!job) throw jobNotFound(jobId);
  return job;
}
