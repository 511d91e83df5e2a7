import { resolveIssuesContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { toIssueJson } from "@/lib/api/json/issues";
import { resolveIssues } from "@/lib/review/resolution";

export const POST = route(resolveIssuesContract, async ({ ctx, body }) => {
  const { resolved, rowsSkipped, issues } = await resolveIssues({
    ctx,
    issueIds: body.issue_ids,
    comment: body.resolution_comment,
  });
  return { resolved, rows_skipped: rowsSkipped, issues: issues.map(toIssueJson) };
});
