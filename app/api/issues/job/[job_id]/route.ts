import { listJobIssuesContract } from "@/lib/api/contracts/issues";
import { requireCompanyJob } from "@/lib/ingest/company-job";
import { route } from "@/lib/api/route";
import { issueListJson } from "@/lib/api/json/issue-list";

export const GET = route(listJobIssuesContract, async ({ ctx, params, query }) => {
  const job = await requireCompanyJob({ jobId: params.job_id, companyId: ctx.companyId });
  return issueListJson({ companyId: ctx.companyId, jobId: job.id, order: "found", filters: query });
});
