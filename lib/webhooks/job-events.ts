import "server-only";
import { hasSubscribedWebhook } from "@/db/queries/webhooks";
import type { JobOutcome } from "@/lib/ingest/outcome";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { nameBasedUuid } from "@/lib/webhooks/event-id";
import type { WebhookEvent } from "@/lib/webhooks/events";

/** The webhook event each job outcome is told as; a cancelled job is told to nobody. */
const EVENT_OF_OUTCOME: Partial<Record<JobOutcome["status"], WebhookEvent>> = {
  COMPLETED: "job.completed",
  NEEDS_REVIEW: "job.needs_review",
  FAILED: "job.failed",
  REVERTED: "job.reverted",
};

/** The job as GET /api/jobs/{job_id} answers it, or null once it is gone. */
export type JobDescriber = (input: { companyId: string; jobId: number }) => Promise<unknown>;

// Set by the composition root (instrumentation.ts): the API's JSON of a job lives in lib/api, which domain
// code does not import. On globalThis, since instrumentation and the routes are bundled apart.
const globalForJobs = globalThis as unknown as { intakeDescribeJob?: JobDescriber };

export function describeJobsWith(describe: JobDescriber): void {
  globalForJobs.intakeDescribeJob = describe;
}

/**
 * Tells the company's webhooks of a job's outcome, with the job's JSON as data. The outcome's timeline entry
 * is the event's identity, so an outcome announced twice is delivered once.
 */
export async function emitJobOutcome(outcome: JobOutcome): Promise<{ deliveries: number }> {
  const event = EVENT_OF_OUTCOME[outcome.status];
  if (!event || !(await hasSubscribedWebhook({ companyId: outcome.companyId, event }))) return { deliveries: 0 };
  const describe = globalForJobs.intakeDescribeJob;
  if (!describe) throw new Error("No job describer was set at start-up (describeJobsWith)");
  const job = await describe({ companyId: outcome.companyId, jobId: outcome.jobId });
  if (!job) return { deliveries: 0 };
  return emitWebhookEvent({
    companyId: outcome.companyId,
    event,
    eventId: nameBasedUuid(`job-outcome:${outcome.jobEventId}`),
    data: { job },
  });
}
