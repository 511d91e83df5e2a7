import "server-only";
import { listIssues, type IssueType } from "@/db/queries/issues";
import type { issueListSchema } from "@/lib/api/contracts/issues";
import { LIST_ROWS_PER_ISSUE } from "@/lib/review/limits";
import { toIssueJson } from "@/lib/api/json/issues";
import type { z } from "zod";

/** GET /api/issues and GET /api/issues/job/{job_id}: one page of issues with their counts, as JSON. */
export async function issueListJson({
  companyId,
  jobId,
  order,
  filters,
}: {
  companyId: string;
  jobId?: number;
  order: "newest" | "found";
  filters: { type?: IssueType; resolved?: boolean; page: number; page_size: number };
}): Promise<z.input<typeof issueListSchema>> {
  const { issues, counts } = await listIssues({
    companyId,
    jobId,
    type: filters.type,
    resolved: filters.resolved,
    order,
    page: filters.page,
    pageSize: filters.page_size,
    rowsPerIssue: LIST_ROWS_PER_ISSUE,
  });
  return {
    issues: issues.map(toIssueJson),
    total: counts.total,
    resolved_count: counts.resolved,
    unresolved_count: counts.unresolved,
    by_type: counts.byType,
    page: filters.page,
    page_size: filters.page_size,
  };
}
