import { z } from "zod";
import { failJob, processJob } from "@/lib/ingest/pipeline";
import { defineBackgroundFunction, failureReason } from "@/lib/background/definition";
import { JOB_UPLOADED } from "@/lib/background/events";

/** A registered upload becomes staged rows, issues and contacts. */
export const processJobFunction = defineBackgroundFunction({
  id: "process-job",
  event: JOB_UPLOADED,
  data: z.object({ jobId: z.number().int().positive(), companyId: z.uuid() }),
  concurrencyKey: "companyId",
  retries: 3,
  handler: ({ data, step }) => processJob({ jobId: data.jobId, step }),
  onFailure: ({ data, error }) => failJob({ jobId: data.jobId, reason: `Processing failed: ${failureReason(error)}` }),
});
