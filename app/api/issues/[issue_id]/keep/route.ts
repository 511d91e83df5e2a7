import { keepIssueRowContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { toIssueJson } from "@/lib/review/json";
import { keepIssueRow } from "@/lib/review/resolution";

export const POST = route(keepIssueRowContract, async ({ ctx, params, body }) => {
  const issue = await keepIssueRow({ ctx, issueId: params.issue_id, stagingId: body.staging_id, comment: body.resolution_comment });
  return toIssueJson(issue);
});
