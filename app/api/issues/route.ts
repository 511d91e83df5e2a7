import { requireCompanyJob } from "@/lib/ingest/company-job";
import { listIssuesContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { issueListJson } from "@/lib/api/json/issue-list";

export const GET = route(listIssuesContract, async ({ ctx, query }) => {
  if (query.job_id !== undefined) await requireCompanyJob({ jobId: query.job_id, companyId: ctx.companyId });
  return issueListJson({ companyId: ctx.companyId, jobId: query.job_id, order: "newest", filters: query });
});
