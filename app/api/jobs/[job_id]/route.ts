import { jobNotFound } from "@/lib/ingest/company-job";
import { deleteJob } from "@/lib/ingest/delete-job";
import { route } from "@/lib/api/route";
import { deleteJobContract, getJobContract } from "@/lib/api/contracts/jobs";
import { findJobDetail } from "@/lib/api/json/job-detail";

export const GET = route(getJobContract, async ({ ctx, params }) => {
  const detail = await findJobDetail({ companyId: ctx.companyId, jobId: params.job_id });
  if (!detail) throw jobNotFound(params.job_id);
  return detail;
});

export const DELETE = route(deleteJobContract, async ({ ctx, params, log }) => {
  const job = await deleteJob({ jobId: params.job_id, companyId: ctx.companyId, log });
  log.info({ job_id: job.id }, "job deleted");
  return { message: `Job ${job.id} cancelled successfully`, job_id: job.id };
});
