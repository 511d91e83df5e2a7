import { z } from "zod";
import { failJob, processJob } from "@/lib/ingest/pipeline";
import { defineBackgroundFunction, failureReason } from "@/lib/background/definition";
import { JOB_UPLOADED } from "@/lib/background/events";
import { announceJobOutcome, announceJobOutcomeAfterRequest } from "@/lib/ingest/outcome";

/** A registered upload becomes staged rows, issues and contacts. */
export const processJobFunction = defineBackgroundFunction({
  id: "process-job",
  event: JOB_UPLOADED,
  data: z.object({ jobId: z.number().int().positive(), companyId: z.uuid() }),
  concurrencyKey: "companyId",
  retries: 3,
  handler: async ({ data, step, runId }) => {
    const outcome = await processJob({ jobId: data.jobId, runId, step });
    // A run that found the job another run's (or ended) leaves announcing to the run that processed it.
    if (outcome.status !== "SKIPPED") {
      await step.run("announce-outcome", () => announceJobOutcome({ jobId: data.jobId }));
    }
    return outcome;
  },
  onFailure: async ({ data, error }) => {
    await failJob({ jobId: data.jobId, reason: `Processing failed: ${failureReason(error)}` });
    await announceJobOutcomeAfterRequest({ jobId: data.jobId });
  },
});
