import "server-only";
import type { JobDetail } from "@/components/jobs/api";
import { countJobIssues } from "@/db/queries/issues";
import { findJobWithCreator, listJobEvents } from "@/db/queries/jobs";
import { jobDetailSchema } from "@/lib/api/contracts/jobs";
import { toJobDetailJson } from "@/lib/ingest/job-json";
import { idParamOf } from "@/lib/page-params";

/**
 * The job a page's path names, as GET /api/jobs/{job_id} gives it (the page shows it at once and
 * then follows it live); null when the id cannot be a job or it is not one of the company's.
 */
export async function loadJobDetail({ companyId, id }: { companyId: string; id: string }): Promise<JobDetail | null> {
  const jobId = idParamOf(id);
  if (jobId === null) return null;
  const job = await findJobWithCreator({ jobId, companyId });
  if (!job) return null;
  const [events, issueCounts] = await Promise.all([listJobEvents({ jobId: job.id }), countJobIssues({ companyId, jobId: job.id })]);
  return jobDetailSchema.parse(toJobDetailJson(job, events, issueCounts));
}
