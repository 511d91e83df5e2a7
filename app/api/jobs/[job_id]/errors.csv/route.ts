import { findJob } from "@/db/queries/jobs";
import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { jobErrorsCsvContract } from "@/lib/api/contracts/files";
import { csvResponse, derivedFileName } from "@/lib/csv-export";
import { errorFile } from "@/lib/ingest/error-file";

export const GET = route(jobErrorsCsvContract, async ({ ctx, params, log }) => {
  const job = await findJob({ jobId: params.job_id, companyId: ctx.companyId });
  if (!job) throw new ApiError("NOT_FOUND", `Job ${params.job_id} not found`);
  const { header, batches } = await errorFile({ job });
  return csvResponse({
    fileName: derivedFileName({ original: job.fileName, suffix: "errors" }),
    header,
    batches,
    onError: (error) => log.error({ err: error, job_id: job.id }, "error file broke off while streaming"),
  });
});
