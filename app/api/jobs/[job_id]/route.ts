import { CANCELLABLE_STATUSES, DELETABLE_STATUSES, deleteJobRecord } from "@/db/queries/jobs";
import { jobNotFound, requireCompanyJob } from "@/lib/ingest/company-job";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { deleteJobContract, getJobContract } from "@/lib/api/contracts/jobs";
import { findJobDetail } from "@/lib/api/json/job-detail";
import { getStorage } from "@/lib/storage";

export const GET = route(getJobContract, async ({ ctx, params }) => {
  const detail = await findJobDetail({ companyId: ctx.companyId, jobId: params.job_id });
  if (!detail) throw jobNotFound(params.job_id);
  return detail;
});

export const DELETE = route(deleteJobContract, async ({ ctx, params, log }) => {
  const job = await requireCompanyJob({ jobId: params.job_id, companyId: ctx.companyId });
  if (!DELETABLE_STATUSES.includes(job.status)) {
    const hint = CANCELLABLE_STATUSES.includes(job.status) ? ` (cancel it first: POST /api/jobs/${job.id}/cancel)` : "";
    throw new ApiError(
      "BAD_REQUEST",
      `Job ${job.id} is ${job.status}; only ${DELETABLE_STATUSES.join(", ")} jobs can be deleted${hint}`,
      { status: job.status },
    );
  }
  await deleteJobRecord({ jobId: job.id, companyId: ctx.companyId });
  await getStorage()
    .remove(job.storageKey)
    .catch((error: unknown) => log.warn({ err: error, key: job.storageKey }, "job deleted but its file could not be removed"));
  log.info({ job_id: job.id }, "job deleted");
  return { message: `Job ${job.id} cancelled successfully`, job_id: job.id };
});
