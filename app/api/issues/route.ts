import { listIssuesContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { issueListJson } from "@/lib/review/issue-list";

export const GET = route(listIssuesContract, ({ ctx, query }) =>
  issueListJson({ companyId: ctx.companyId, jobId: query.job_id, order: "newest", filters: query }),
);
