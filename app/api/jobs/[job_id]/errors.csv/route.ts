import { requireCompanyJob } from "@/lib/ingest/company-job";
import { route } from "@/lib/api/route";
import { jobErrorsCsvContract } from "@/lib/api/contracts/files";
import { csvResponse, derivedFileName } from "@/lib/csv-export";
import { errorFile } from "@/lib/ingest/error-file";

export const GET = route(jobErrorsCsvContract, async ({ ctx, params, log }) => {
  const job = await requireCompanyJob({ jobId: params.job_id, companyId: ctx.companyId });
  const { header, batches } = await errorFile({ job });
  return csvResponse({
    fileName: derivedFileName({ original: job.fileName, suffix: "errors" }),
    header,
    batches,
    onError: (error) => log.error({ err: error, job_id: job.id }, "error file broke off while streaming"),
  });
});
