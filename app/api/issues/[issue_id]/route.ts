import { findIssue } from "@/db/queries/issues";
import { getIssueContract, updateIssueContract } from "@/lib/api/contracts/issues";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { resolverNamed } from "@/lib/review/actor";
import { toIssueJson } from "@/lib/api/json/issues";
import { updateIssue } from "@/lib/review/resolution";

export const GET = route(getIssueContract, async ({ ctx, params }) => {
  const issue = await findIssue({ companyId: ctx.companyId, issueId: params.issue_id });
  if (!issue) throw new ApiError("NOT_FOUND", `Issue ${params.issue_id} not found`);
  return toIssueJson(issue);
});

export const PUT = route(updateIssueContract, async ({ ctx, params, body }) => {
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
