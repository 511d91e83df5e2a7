import { z } from "zod";
import { finishSessionIfDone } from "@/db/queries/session-runs";
import { JOB_STATUSES } from "@/db/schema";
import { defineBackgroundFunction, failureReason, type StepRunner } from "@/lib/background/definition";
import { JOB_FINISHED, SESSION_STARTED } from "@/lib/background/events";
import { logger } from "@/lib/logger";
import {
  abandonSessionRun,
  announceSessionFinished,
  beginSessionRun,
  collectUploadedFiles,
  fillSessionSlots,
  recordJobOutcome,
} from "@/lib/sessions/run/run";

/** The steps after a change of a running session: start what fits, end it when nothing is left. */
async function advance(sessionId: number, step: StepRunner) {
  const queued = await step.run("start-files", () => fillSessionSlots({ sessionId }));
  const finished = await step.run("finish-if-done", async () => {
    const session = await finishSessionIfDone({ sessionId });
    return session ? { status: session.status, failureReason: session.failureReason } : null;
  });
  if (finished) await step.run("announce-session-completed", () => announceSessionFinished({ sessionId }));
  return { queued, finished };
}

/**
 * A started session: RUNNING, then its first SESSION_CONCURRENCY attached files become jobs; each job's
 * outcome (advance-upload-session) starts the next, until none is left and the session ends.
 */
export const runUploadSessionFunction = defineBackgroundFunction({
  id: "run-upload-session",
  event: SESSION_STARTED,
  data: z.object({ sessionId: z.number().int().positive(), companyId: z.uuid() }),
  retries: 3,
  handler: async ({ data, step }) => {
    const status = await step.run("mark-running", () => beginSessionRun({ sessionId: data.sessionId }));
    if (status !== "RUNNING") return { status };
    const uploads = await step.run("collect-uploads", () => collectUploadedFiles({ sessionId: data.sessionId }));
    return { uploads, ...(await advance(data.sessionId, step)) };
  },
  onFailure: async ({ data, error }) => {
    logger().error({ err: error, session_id: data.sessionId }, "an upload session's run failed");
    await abandonSessionRun({ sessionId: data.sessionId, reason: `The session's run failed: ${failureReason(error)}` });
  },
});

/** A job of a session reached an outcome: its file and the session's counters record it, and the session moves on. */
export const advanceUploadSessionFunction = defineBackgroundFunction({
  id: "advance-upload-session",
  event: JOB_FINISHED,
  data: z.object({
    jobId: z.number().int().positive(),
    companyId: z.uuid(),
    status: z.enum(JOB_STATUSES),
    uploadSessionId: z.number().int().positive().nullable(),
    jobEventId: z.number().int().positive(),
  }),
  retries: 3,
  handler: async ({ data, step }) => {
    if (data.uploadSessionId === null) return { session: null };
    const sessionId = await step.run("record-outcome", () =>
      recordJobOutcome({ jobId: data.jobId, status: data.status }),
    );
    if (sessionId === null) return { session: null };
    return { session: sessionId, ...(await advance(sessionId, step)) };
  },
  onFailure: async ({ data, error }) => {
    logger().error({ err: error, job_id: data.jobId, session_id: data.uploadSessionId }, "a session could not advance");
    if (data.uploadSessionId === null) return;
    await abandonSessionRun({
      sessionId: data.uploadSessionId,
      reason: `The session could not go on after job ${data.jobId}: ${failureReason(error)}`,
    });
  },
});
