import { findIssue } from "@/db/queries/issues";
import { getIssueContract, updateIssueContract } from "@/lib/api/contracts/issues";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { resolverNamed } from "@/lib/review/actor";
import { toIssueJson } from "@/lib/api/json/issues";
import { updateIssue } from "@/lib/review/resolution";

async function companyIssue(companyId: string, issueId: number) {
  const issue = await findIssue({ companyId, issueId });
  if (!issue) throw new ApiError("NOT_FOUND", `Issue ${issueId} not found`);
  return issue;
}

export const GET = route(getIssueContract, async ({ ctx, params }) =>
  toIssueJson(await companyIssue(ctx.companyId, params.issue_id)),
);

export const PUT = route(updateIssueContract, async ({ ctx, params, body }) => {
  // An issue the company does not have is 404 before the member the body names is judged (400).
  if (body.resolved_by !== undefined) await companyIssue(ctx.companyId, params.issue_id);
  const issue = await updateIssue({
    ctx,
    issueId: params.issue_id,
    changes: {
      resolved: body.resolved,
      description: body.description,
      resolvedBy: await resolverNamed({ companyId: ctx.companyId, resolvedBy: body.resolved_by }),
      resolutionComment: body.resolution_comment,
    },
  });
  return toIssueJson(issue);
});
