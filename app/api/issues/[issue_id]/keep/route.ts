import { keepIssueRowContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { toIssueJson } from "@/lib/api/json/issues";
import { keepIssueRows } from "@/lib/review/resolution";

export const POST = route(keepIssueRowContract, async ({ ctx, params, body }) => {
  const issueId = params.issue_id;
  const issue = await keepIssueRows({
    ctx,
    resolution: body.existing
      ? { action: "keep_existing", issueId }
      : { action: "keep_row", issueId, stagingId: body.staging_id },
    comment: body.resolution_comment,
  });
  return toIssueJson(issue);
});
