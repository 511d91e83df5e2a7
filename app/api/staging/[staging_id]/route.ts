import { updateStagingContract } from "@/lib/api/contracts/staging";
import { route } from "@/lib/api/route";
import { editStagingRow } from "@/lib/review/edit-row";
import { toStagingRowJson } from "@/lib/api/json/issues";

export const PUT = route(updateStagingContract, async ({ ctx, params, body }) => {
  const { row, openIssues } = await editStagingRow({
    ctx,
    stagingId: params.staging_id,
    changes: {
      email: body.email,
      firstName: body.first_name,
      lastName: body.last_name,
      company: body.company,
      status: body.status,
    },
  });
  return {
    ...toStagingRowJson(row),
    open_issues: openIssues.map((issue) => ({ issue_id: issue.id, issue_type: issue.type })),
  };
});
