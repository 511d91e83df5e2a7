import { route } from "@/lib/api/route";
import { cancelJobContract } from "@/lib/api/contracts/jobs";
import { cancelJob } from "@/lib/ingest/cancel";
import { actorName } from "@/lib/review/actor";

export const POST = route(cancelJobContract, async ({ ctx, params }) => {
  const jobId = params.job_id;
  const job = await cancelJob({
    jobId,
    companyId: ctx.companyId,
    actorUserId: ctx.user?.id ?? null,
    actorName: actorName(ctx),
  });
  return {
    job_id: jobId,
    status: job.status,
    cancel_requested_at: job.cancelRequestedAt?.toISOString() ?? null,
    message: job.status === "CANCELLED" ? `Job ${jobId} cancelled` : `Job ${jobId} is stopping at its next step`,
  };
});
