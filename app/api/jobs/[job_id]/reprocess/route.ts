import { REPROCESSABLE_STATUSES, findJob, resetJobForReprocess } from "@/db/queries/jobs";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { reprocessJobContract } from "@/lib/api/contracts/jobs";
import { queueJob } from "@/lib/ingest/register";

export const POST = route(reprocessJobContract, async ({ ctx, params }) => {
  const job = await findJob({ jobId: params.job_id, companyId: ctx.companyId });
  if (!job) throw new ApiError("NOT_FOUND", `Job ${params.job_id} not found`);
  const reset = await resetJobForReprocess({ jobId: job.id, actorUserId: ctx.user?.id ?? null });
  if (!reset) {
    throw new ApiError("CONFLICT", `Job ${job.id} is ${job.status}; only ${REPROCESSABLE_STATUSES.join(", ")} jobs can be reprocessed`, {
      status: job.status,
    });
  }
  await queueJob({ job: reset });
  return { job_id: job.id, message: `Job ${job.id} queued for reprocessing`, s3_key: job.storageKey };
});
