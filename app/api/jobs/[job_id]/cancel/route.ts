import { CANCELLABLE_STATUSES } from "@/db/queries/jobs";
import { jobNotFound } from "@/lib/ingest/company-job";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { cancelJobContract } from "@/lib/api/contracts/jobs";
import { awaitStop, requestCancel } from "@/lib/ingest/cancel";
import { actorName } from "@/lib/review/actor";

export const POST = route(cancelJobContract, async ({ ctx, params }) => {
  const jobId = params.job_id;
  const request = await requestCancel({ jobId, companyId: ctx.companyId, actorUserId: ctx.user?.id ?? null, actorName: actorName(ctx) });
  if (request.outcome === "not-found") throw jobNotFound(jobId);
  if (request.outcome === "not-running") {
    throw new ApiError("CONFLICT", `Job ${jobId} is ${request.job.status}; only ${CANCELLABLE_STATUSES.join(" or ")} jobs can be cancelled`, {
      status: request.job.status,
    });
  }
  const job = request.outcome === "cancelled" ? request.job : await awaitStop({ jobId, companyId: ctx.companyId });
  if (!job) throw jobNotFound(jobId);
  if (job.status === "CANCELLED" || job.status === "PROCESSING") {
    return {
      job_id: jobId,
      status: job.status,
      cancel_requested_at: job.cancelRequestedAt?.toISOString() ?? null,
      message: job.status === "CANCELLED" ? `Job ${jobId} cancelled` : `Job ${jobId} is stopping at its next step`,
    };
  }
  // The run finished (or failed) before it reached a step boundary where it could stop.
  throw new ApiError("CONFLICT", `Job ${jobId} became ${job.status} before it could be stopped`, { status: job.status });
});
