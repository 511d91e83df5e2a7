import { listJobs } from "@/db/queries/jobs";
import { route } from "@/lib/api/route";
import { createJobContract, listJobsContract } from "@/lib/api/contracts/jobs";
import { createdJobJson, toJobJson } from "@/lib/api/json/jobs";
import { registerStoredUpload } from "@/lib/ingest/register";

export const GET = route(listJobsContract, async ({ ctx, query }) => {
  const { jobs, total } = await listJobs({
    companyId: ctx.companyId,
    status: query.status,
    page: query.page,
    pageSize: query.page_size,
  });
  return { jobs: jobs.map(toJobJson), total, page: query.page, page_size: query.page_size };
});

export const POST = route(createJobContract, async ({ ctx, body, log }) => {
  const job = await registerStoredUpload({ ctx, key: body.key, fileName: body.filename, importMode: body.import_mode });
  log.info({ job_id: job.id, size: job.sizeBytes }, "job registered");
  return createdJobJson(job);
});
