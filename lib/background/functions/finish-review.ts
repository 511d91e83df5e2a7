import { z } from "zod";
import { failJob } from "@/lib/ingest/pipeline";
import { defineBackgroundFunction, failureReason } from "@/lib/background/definition";
import { REVIEW_COMPLETED } from "@/lib/background/events";
import { announceJobOutcome, announceJobOutcomeAfterRequest } from "@/lib/ingest/outcome";
import { finishReview } from "@/lib/review/finish";

/** A reviewed job whose last issue was resolved: its READY rows become contacts and it is COMPLETED. */
export const finishReviewFunction = defineBackgroundFunction({
  id: "finish-review",
  event: REVIEW_COMPLETED,
  data: z.object({ jobId: z.number().int().positive(), companyId: z.uuid() }),
  concurrencyKey: "companyId",
  retries: 3,
  handler: async ({ data, step }) => {
    const outcome = await finishReview({ jobId: data.jobId, companyId: data.companyId, step });
    await step.run("announce-outcome", () => announceJobOutcome({ jobId: data.jobId }));
    return outcome;
  },
  onFailure: async ({ data, error }) => {
    await failJob({ jobId: data.jobId, reason: `Finishing the review failed: ${failureReason(error)}` });
    await announceJobOutcomeAfterRequest({ jobId: data.jobId });
  },
});
