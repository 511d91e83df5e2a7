import { previewResolutionContract } from "@/lib/api/contracts/issues";
import { route } from "@/lib/api/route";
import { toResolutionPreviewJson } from "@/lib/api/json/issues";
import { previewResolution, type Resolution } from "@/lib/review/resolution";

export const POST = route(previewResolutionContract, async ({ ctx, body }) => {
  const resolution: Resolution =
    body.action === "skip"
      ? { action: "skip", issueIds: body.issue_ids }
      : body.action === "keep_row"
        ? { action: "keep_row", issueId: body.issue_id, stagingId: body.staging_id }
        : { action: "keep_existing", issueId: body.issue_id };
  return toResolutionPreviewJson(body.action, await previewResolution({ ctx, resolution }));
});
