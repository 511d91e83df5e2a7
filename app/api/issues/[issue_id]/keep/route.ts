import { keepIssueRowContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { toIssueJson } from "@/lib/review/json";
import { keepExistingContact, keepIssueRow } from "@/lib/review/resolution";

export const POST = route(keepIssueRowContract, async ({ ctx, params, body }) => {
  const comment = body.resolution_comment;
  const issue = body.existing
    ? await keepExistingContact({ ctx, issueId: params.issue_id, comment })
    : await keepIssueRow({ ctx, issueId: params.issue_id, stagingId: body.staging_id, comment });
  return toIssueJson(issue);
});
