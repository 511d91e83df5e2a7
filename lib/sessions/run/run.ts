import "server-only";
import { type SessionFile } from "@/db/queries/session-files";
import {
  cancelSessionFiles,
  failAttachedFiles,
  findSessionForWorker,
  finishSessionIfDone,
  markFileQueued,
  markSessionRunning,
  nextAttachedFile,
  reattachFailedFiles,
  recordFileOutcome,
  markUploadArrived,
  refuseWaitingFile,
  startSessionFile,
  unqueuedRunningFiles,
  uploadingFiles,
  FILE_OUTCOME_STATUSES,
  type FileOutcomeStatus,
} from "@/db/queries/session-runs";
import type { JobStatus, UploadSession } from "@/db/schema";
import { dispatch } from "@/lib/background/dispatch";
import { JOB_UPLOADED, SESSION_STARTED } from "@/lib/background/events";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { checkStoredObject, uploadedJobRow } from "@/lib/ingest/register";
import { resetJobForReprocess } from "@/lib/ingest/reprocess";
import { logger } from "@/lib/logger";
import { discardRefusedObject, noSuchSession, requireCompanySession } from "@/lib/sessions/run/attach";
import { sessionCountersJson, sessionStatusName } from "@/lib/sessions/status";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { nameBasedUuid } from "@/lib/webhooks/event-id";
import { getStorage } from "@/lib/storage";

/**
 * What `POST /api/uploads/start` answers as `job_id`: the name of the session's background run. One per
 * session (a retry runs the same one again), so `GET /api/uploads/status/{job_id}` reads the session.
 */
export function sessionRunId(sessionId: number): string {
  return `session-${sessionId}`;
}

/** Percent of the session's files that have ended (refused ones included); 100 for an ended session. */
export function sessionProgress(
  session: Pick<
    UploadSession,
    "status" | "totalFiles" | "completedFiles" | "needsReviewFiles" | "refusedFiles" | "failedFiles" | "cancelledFiles"
  >,
): number {
  if (session.status === "COMPLETED" || session.status === "FAILED" || session.status === "CANCELLED") return 100;
  if (session.totalFiles === 0) return 0;
  const ended =
    session.completedFiles +
    session.needsReviewFiles +
    session.refusedFiles +
    session.failedFiles +
    session.cancelledFiles;
  return Math.min(100, Math.round((ended / session.totalFiles) * 1000) / 10);
}

/** The session a run id names, or null for anything else. */
export function sessionIdOfRun(runId: string): number | null {
  const match = /^session-([1-9]\d{0,15})$/.exec(runId);
  return match?.[1] ? Number(match[1]) : null;
}

async function announceStart(session: UploadSession): Promise<void> {
  try {
    await dispatch({ name: SESSION_STARTED, data: { sessionId: session.id, companyId: session.companyId } });
  } catch (error) {
    logger().error({ err: error, session_id: session.id }, "could not queue the session's run");
    throw new DomainError(
      "SERVICE_UNAVAILABLE",
      `Session ${session.id} could not be queued to run; start it again later`,
      { session_id: session.id },
    );
  }
}

/**
 * Starts the company's pending session: its attached files run in the background (run-upload-session).
 * 404 for a session not theirs, 409 for one already started or finished, or with no file attached.
 */
export async function startSession({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<UploadSession> {
  const session = await requireCompanySession({ companyId, sessionId });
  if (session.status !== "PENDING") {
    throw new DomainError("CONFLICT", `Session ${sessionId} is ${session.status}; only a PENDING session can start`, {
      status: session.status,
    });
  }
  if (session.totalFiles === 0) {
    throw new DomainError("CONFLICT", `Session ${sessionId} has no files; attach files before starting it`);
  }
  await announceStart(session);
  return session;
}

/** The session's first step in the background: PENDING → RUNNING (a replayed or retried start finds it running). */
export async function beginSessionRun({ sessionId }: { sessionId: number }): Promise<UploadSession["status"] | null> {
  const started = await markSessionRunning({ sessionId });
  if (started) return started.status;
  return (await findSessionForWorker({ sessionId }))?.status ?? null;
}

/**
 * The session's second step: each file whose upload URL was issued for it (POST /api/uploads with
 * session_id) is ATTACHED when its bytes are stored, REFUSED when nothing was uploaded by the start.
 * Answers how many arrived and how many did not.
 */
export async function collectUploadedFiles({
  sessionId,
}: {
  sessionId: number;
}): Promise<{ arrived: number; missing: number }> {
  let arrived = 0;
  let missing = 0;
  for (const file of await uploadingFiles({ sessionId })) {
    const info = await getStorage().head(file.storageKey);
    if (info) {
      await markUploadArrived({ fileId: file.id, sizeBytes: info.size });
      arrived += 1;
    } else {
      await refuseWaitingFile({
        fileId: file.id,
        reason: `Nothing was uploaded to ${file.storageKey} before the session started`,
      });
      missing += 1;
    }
  }
  return { arrived, missing };
}

type PreparedFile =
  | { kind: "job"; row: ReturnType<typeof uploadedJobRow> | null }
  /** `stored`: the object is there (and is removed, being refused). */
  | { kind: "refused"; reason: string; stored: boolean };

/** Checks an attached file again as its turn comes (the object may have changed or gone since), or reuses its job. */
async function prepareFile(session: UploadSession, file: SessionFile): Promise<PreparedFile> {
  // A retried file keeps the job a retry has reset; it is processed again as it is.
  if (file.jobId !== null) return { kind: "job", row: null };
  const info = await getStorage().head(file.storageKey);
  if (!info) return { kind: "refused", reason: `The file is no longer stored at ${file.storageKey}`, stored: false };
  try {
    const { layout, sha256 } = await checkStoredObject({
      companyId: session.companyId,
      key: file.storageKey,
      fileName: file.fileName,
      size: info.size,
    });
    const row = uploadedJobRow({
      companyId: session.companyId,
      createdById: session.createdById,
      createdByApiKeyId: null,
      fileName: file.fileName,
      key: file.storageKey,
      size: info.size,
      sha256,
      layout,
      importMode: session.importMode,
      totalRows: null,
    });
    return { kind: "job", row };
  } catch (error) {
    if (error instanceof DomainError) return { kind: "refused", reason: error.message, stored: true };
    throw error;
  }
}

/** Hands a started file's job to processing, then marks the file queued (a replay queues what is not). */
async function queueFileJob({ fileId, jobId, companyId }: { fileId: number; jobId: number; companyId: string }) {
  await dispatch({ name: JOB_UPLOADED, data: { jobId, companyId } });
  await markFileQueued({ fileId });
}

/**
 * Starts attached files until SESSION_CONCURRENCY of the session's files run or none is left. Safe to run
 * again at any point (a replayed step, two files ending at once): a file's job is created in the
 * transaction that marks it RUNNING, and a RUNNING file whose job was never queued is queued first, at
 * once: waiting could leave it unqueued for good when no later call comes. Queued twice (two calls at once),
 * the job's process-job runs claim it and only one processes it.
 * Answers the jobs it queued.
 */
export async function fillSessionSlots({ sessionId }: { sessionId: number }): Promise<number[]> {
  const session = await findSessionForWorker({ sessionId });
  if (session?.status !== "RUNNING") return [];
  const queued: number[] = [];
  for (const stranded of await unqueuedRunningFiles({ sessionId })) {
    await queueFileJob({ fileId: stranded.fileId, jobId: stranded.jobId, companyId: session.companyId });
    queued.push(stranded.jobId);
  }
  for (;;) {
    const file = await nextAttachedFile({ sessionId });
    if (!file) break;
    const prepared = await prepareFile(session, file);
    if (prepared.kind === "refused") {
      await refuseWaitingFile({ fileId: file.id, reason: prepared.reason });
      if (prepared.stored) await discardRefusedObject(file);
      continue;
    }
    const start = await startSessionFile({
      sessionId,
      fileId: file.id,
      concurrency: env().SESSION_CONCURRENCY,
      job: prepared.row,
      actorUserId: session.createdById,
    });
    if (start.kind === "duplicate") await discardRefusedObject(file);
    if (start.kind === "busy" || start.kind === "stopped") break;
    if (start.kind !== "started") continue;
    await queueFileJob({ fileId: file.id, jobId: start.jobId, companyId: session.companyId });
    queued.push(start.jobId);
  }
  return queued;
}

/**
 * A session's background run gave up after its retries: the files it could not start fail with the reason
 * (a retry runs them again), and the session ends once its running files have.
 */
export async function abandonSessionRun({ sessionId, reason }: { sessionId: number; reason: string }): Promise<void> {
  await failAttachedFiles({ sessionId, reason });
  await finishSessionIfDone({ sessionId });
}

/**
 * Tells the company's webhooks subscribed to `session.completed` that the session ended (COMPLETED, FAILED
 * or CANCELLED: `status` says which). Its end time makes the event's identity: told twice, it is sent once;
 * a retried session that ends again is a new event.
 */
export async function announceSessionFinished({ sessionId }: { sessionId: number }): Promise<number> {
  const session = await findSessionForWorker({ sessionId });
  if (!session?.finishedAt) return 0;
  const { deliveries } = await emitWebhookEvent({
    companyId: session.companyId,
    event: "session.completed",
    eventId: nameBasedUuid(`session.completed:${session.id}:${session.finishedAt.toISOString()}`),
    data: {
      session_id: session.id,
      cycle_id: session.cycleId,
      name: session.name,
      status: sessionStatusName(session.status),
      ...sessionCountersJson(session),
      started_at: session.startedAt?.toISOString() ?? null,
      finished_at: session.finishedAt.toISOString(),
    },
  });
  return deliveries;
}

function isFileOutcome(status: JobStatus): status is FileOutcomeStatus {
  return (FILE_OUTCOME_STATUSES as readonly string[]).includes(status);
}

/**
 * A session's job reached an outcome: its file takes it and the session counts it (once, however often
 * the outcome is told). Answers the session to advance, or null when the job changed nothing of one.
 */
export async function recordJobOutcome({
  jobId,
  status,
}: {
  jobId: number;
  status: JobStatus;
}): Promise<number | null> {
  if (!isFileOutcome(status)) return null;
  return recordFileOutcome({ jobId, status });
}

/**
 * Stops the company's session: files not started yet are CANCELLED, running ones finish. A pending
 * session is CANCELLED at once; a running one when its running files end (at once if none is running).
 * 404 for a session not theirs, 409 for a finished one.
 */
export async function cancelSession({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<{ session: UploadSession; cancelledFiles: number }> {
  const stop = await cancelSessionFiles({ companyId, sessionId });
  if (!stop) throw noSuchSession(sessionId);
  if (stop.kind === "finished") {
    const session = await requireCompanySession({ companyId, sessionId });
    throw new DomainError("CONFLICT", `Session ${sessionId} is ${session.status} already; there is nothing to cancel`, {
      status: session.status,
    });
  }
  const finished = stop.session.status === "RUNNING" ? await finishSessionIfDone({ sessionId }) : null;
  return { session: finished ?? stop.session, cancelledFiles: stop.cancelledFiles };
}

/**
 * Runs a finished session's FAILED files again: each file's job is reset (its staged rows cleared) and
 * the session runs again from PENDING. 404 for a session not theirs, 409 while it is pending or running
 * or when no file failed, 503 when the run cannot be queued (the session stays PENDING, start it again).
 */
export async function retrySession({
  companyId,
  sessionId,
  actorUserId,
}: {
  companyId: string;
  sessionId: number;
  actorUserId: string | null;
}): Promise<{ session: UploadSession; retriedFiles: number }> {
  const retry = await reattachFailedFiles({ companyId, sessionId });
  if (!retry) throw noSuchSession(sessionId);
  if (retry.kind === "not-finished") {
    throw new DomainError("CONFLICT", `Session ${sessionId} is ${retry.status}; retry it once it has finished`, {
      status: retry.status,
    });
  }
  if (retry.kind === "nothing-failed") {
    throw new DomainError("CONFLICT", `Session ${sessionId} has no failed files to retry`);
  }
  for (const jobId of retry.jobIds) await resetJobForReprocess({ jobId, actorUserId });
  await announceStart(retry.session);
  return { session: retry.session, retriedFiles: retry.files };
}
