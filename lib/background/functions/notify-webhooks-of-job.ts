import { z } from "zod";
import { defineBackgroundFunction } from "@/lib/background/definition";
import { JOB_FINISHED } from "@/lib/background/events";
import { JOB_STATUSES } from "@/db/schema";
import { emitJobOutcome } from "@/lib/webhooks/job-events";

/** A job's outcome told to the company's webhooks (job.completed, job.needs_review, job.failed, job.reverted). */
export const notifyWebhooksOfJobFunction = defineBackgroundFunction({
  id: "notify-webhooks-of-job",
  event: JOB_FINISHED,
  data: z.object({
    jobId: z.number().int().positive(),
    companyId: z.uuid(),
    status: z.enum(JOB_STATUSES),
    uploadSessionId: z.number().int().nullable(),
    jobEventId: z.number().int().positive(),
  }),
  retries: 3,
  handler: async ({ data, step }) => step.run("record-deliveries", () => emitJobOutcome(data)),
  // Nothing to undo: the job's outcome stands whether or not webhooks were told.
  onFailure: async () => {},
});
