import { findJob } from "@/db/queries/jobs";
import { listJobIssuesContract } from "@/lib/api/contracts/issues";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { issueListJson } from "@/lib/review/issue-list";

export const GET = route(listJobIssuesContract, async ({ ctx, params, query }) => {
  const job = await findJob({ jobId: params.job_id, companyId: ctx.companyId });
  if (!job) throw new ApiError("NOT_FOUND", `Job ${params.job_id} not found`);
  return issueListJson({ companyId: ctx.companyId, jobId: job.id, order: "found", filters: query });
});
