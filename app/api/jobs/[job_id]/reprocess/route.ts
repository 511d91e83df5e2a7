import { route } from "@/lib/api/route";
import { reprocessJobContract } from "@/lib/api/contracts/jobs";
import { reprocessJob } from "@/lib/ingest/reprocess";

export const POST = route(reprocessJobContract, async ({ ctx, params }) => {
  const job = await reprocessJob({ jobId: params.job_id, companyId: ctx.companyId, actorUserId: ctx.user?.id ?? null });
  return { job_id: job.id, message: `Job ${job.id} queued for reprocessing`, s3_key: job.storageKey };
});
