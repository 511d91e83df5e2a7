import { countJobIssues } from "@/db/queries/issues";
import { DELETABLE_STATUSES, deleteJobRecord, findJob, findJobWithCreator, listJobEvents } from "@/db/queries/jobs";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { deleteJobContract, getJobContract } from "@/lib/api/contracts/jobs";
import { toJobDetailJson } from "@/lib/ingest/job-json";
import { getStorage } from "@/lib/storage";

const notFound = (jobId: number) => new ApiError("NOT_FOUND", `Job ${jobId} not found`);

export const GET = route(getJobContract, async ({ ctx, params }) => {
  const job = await findJobWithCreator({ jobId: params.job_id, companyId: ctx.companyId });
  if (!job) throw notFound(params.job_id);
  const [events, issueCounts] = await Promise.all([
    listJobEvents({ jobId: job.id }),
    countJobIssues({ companyId: ctx.companyId, jobId: job.id }),
  ]);
  return toJobDetailJson(job, events, issueCounts);
});

export const DELETE = route(deleteJobContract, async ({ ctx, params, log }) => {
  const job = await findJob({ jobId: params.job_id, companyId: ctx.companyId });
  if (!job) throw notFound(params.job_id);
  if (!DELETABLE_STATUSES.includes(job.status)) {
    throw new ApiError(
      "BAD_REQUEST",
      `Job ${job.id} is ${job.status}; only ${DELETABLE_STATUSES.join(", ")} jobs can be deleted`,
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
