import "server-only";
import type { JobDetail } from "@/components/api/jobs";
import { jobDetailSchema } from "@/lib/api/contracts/jobs";
import { findJobDetail } from "@/lib/api/json/job-detail";
import { idParamOf } from "@/lib/page-params";

/**
 * The job a page's path names, as GET /api/jobs/{job_id} gives it (the page shows it at once and
 * then follows it live); null when the id cannot be a job or it is not one of the company's.
 */
export async function loadJobDetail({ companyId, id }: { companyId: string; id: string }): Promise<JobDetail | null> {
  const jobId = idParamOf(id);
  if (jobId === null) return null;
  const detail = await findJobDetail({ companyId, jobId });
  return detail ? jobDetailSchema.parse(detail) : null;
}
