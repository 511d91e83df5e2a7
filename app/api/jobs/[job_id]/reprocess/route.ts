import { REPROCESSABLE_STATUSES, resetJobForReprocess } from "@/db/queries/jobs";
import { requireCompanyJob } from "@/lib/ingest/company-job";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { reprocessJobContract } from "@/lib/api/contracts/jobs";
import { queueJob } from "@/lib/ingest/register";

export const POST = route(reprocessJobContract, async ({ ctx, params }) => {
  const job = await requireCompanyJob({ jobId: params.job_id, companyId: ctx.companyId });
  const reset = await resetJobForReprocess({ jobId: job.id, actorUserId: ctx.user?.id ?? null });
  if (!reset) {
    throw new ApiError("CONFLICT", `Job ${job.id} is ${job.status}; only ${REPROCESSABLE_STATUSES.join(", ")} jobs can be reprocessed`, {
      status: job.status,
    });
  }
  await queueJob({ job: reset });
  return { job_id: job.id, message: `Job ${job.id} queued for reprocessing`, s3_key: job.storageKey };
});
