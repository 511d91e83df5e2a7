import "server-only";
import { and, asc, count, countDistinct, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { insertUploadedJobWith, type UploadedJob } from "@/db/queries/registration";
import { lockSession, type SessionFile } from "@/db/queries/session-files";
import { issueItems, jobs, uploadSessionFiles, uploadSessions, type UploadSession } from "@/db/schema";

/** A PENDING session becomes RUNNING; null when it is not pending (a replayed start finds it running). */
export async function markSessionRunning({ sessionId }: { sessionId: number }): Promise<UploadSession | null> {
  const db = await getDb();
  const [session] = await db
    .update(uploadSessions)
    .set({ status: "RUNNING", startedAt: sql`coalesce(${uploadSessions.startedAt}, now())`, updatedAt: new Date() })
    .where(and(eq(uploadSessions.id, sessionId), eq(uploadSessions.status, "PENDING")))
    .returning();
  return session ?? null;
}

export async function findSessionForWorker({ sessionId }: { sessionId: number }): Promise<UploadSession | null> {
  const db = await getDb();
  const [session] = await db.select().from(uploadSessions).where(eq(uploadSessions.id, sessionId)).limit(1);
  return session ?? null;
}

/** The file attached longest ago that has not started, or null. */
export async function nextAttachedFile({ sessionId }: { sessionId: number }): Promise<SessionFile | null> {
  const db = await getDb();
  const [file] = await db
    .select()
    .from(uploadSessionFiles)
    .where(and(eq(uploadSessionFiles.sessionId, sessionId), eq(uploadSessionFiles.status, "ATTACHED")))
    .orderBy(asc(uploadSessionFiles.id))
    .limit(1);
  return file ?? null;
}

/** The session's files whose upload URL was issued and whose bytes have not been looked for yet. */
export async function uploadingFiles({ sessionId }: { sessionId: number }): Promise<SessionFile[]> {
  const db = await getDb();
  return db
    .select()
    .from(uploadSessionFiles)
    .where(and(eq(uploadSessionFiles.sessionId, sessionId), eq(uploadSessionFiles.status, "UPLOADING")))
    .orderBy(asc(uploadSessionFiles.id));
}

/** An UPLOADING file's bytes are there: ATTACHED, with the size stored (checked in full at its turn). */
export async function markUploadArrived({ fileId, sizeBytes }: { fileId: number; sizeBytes: number }): Promise<void> {
  const db = await getDb();
  await db
    .update(uploadSessionFiles)
    .set({ status: "ATTACHED", sizeBytes, updatedAt: new Date() })
    .where(and(eq(uploadSessionFiles.id, fileId), eq(uploadSessionFiles.status, "UPLOADING")));
}

/** The statuses of a session's files that have not started: cancelling the session cancels them. */
const WAITING_FILE_STATUSES = ["UPLOADING", "ATTACHED"] as const;

/** A waiting file found unfit (at its turn, or nothing uploaded by the start): REFUSED with the reason, and counted. */
export async function refuseWaitingFile({ fileId, reason }: { fileId: number; reason: string }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [file] = await tx
      .update(uploadSessionFiles)
      .set({ status: "REFUSED", reason, finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(uploadSessionFiles.id, fileId), inArray(uploadSessionFiles.status, WAITING_FILE_STATUSES)))
      .returning({ sessionId: uploadSessionFiles.sessionId });
    if (!file) return;
    await tx
      .update(uploadSessions)
      .set({ refusedFiles: sql`${uploadSessions.refusedFiles} + 1`, updatedAt: new Date() })
      .where(eq(uploadSessions.id, file.sessionId));
  });
}

export type FileStart =
  | { kind: "started"; jobId: number }
  /** SESSION_CONCURRENCY files are running already. */
  | { kind: "busy" }
  /** The file is no longer attached (started by another run of the step, cancelled). */
  | { kind: "taken" }
  /** The session is not running, or a cancel was asked for. */
  | { kind: "stopped" }
  | { kind: "duplicate"; existingJobId: number };

/**
 * The file's turn: in one transaction with the session locked, while fewer than `concurrency` of its files
 * run, the file's job is created (or its earlier job, reset by a retry, reused) and the file marked RUNNING
 * with it. A replayed step therefore finds the file RUNNING with its job and never creates a second one.
 */
export async function startSessionFile({
  sessionId,
  fileId,
  concurrency,
  job,
  actorUserId,
}: {
  sessionId: number;
  fileId: number;
  concurrency: number;
  /** The new job's row; null when the file already has a job to run again. */
  job: UploadedJob | null;
  actorUserId: string | null;
}): Promise<FileStart> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<FileStart> => {
    const session = await lockSession({ db: tx, sessionId });
    if (session?.status !== "RUNNING" || session.cancelRequestedAt) return { kind: "stopped" };
    const [running] = await tx
      .select({ files: count() })
      .from(uploadSessionFiles)
      .where(and(eq(uploadSessionFiles.sessionId, sessionId), eq(uploadSessionFiles.status, "RUNNING")));
    if ((running?.files ?? 0) >= concurrency) return { kind: "busy" };
    const [file] = await tx
      .select()
      .from(uploadSessionFiles)
      .where(and(eq(uploadSessionFiles.id, fileId), eq(uploadSessionFiles.status, "ATTACHED")))
      .limit(1);
    if (!file) return { kind: "taken" };
    let jobId = file.jobId;
    if (job) {
      const created = await insertUploadedJobWith({
        db: tx,
        job: { ...job, uploadSessionId: sessionId },
        actorUserId,
        message: `Uploaded to session ${sessionId}`,
      });
      if (!created) {
        const [existing] = await tx
          .select({ id: jobs.id, fileName: jobs.fileName })
          .from(jobs)
          .where(and(eq(jobs.companyId, job.companyId), eq(jobs.sha256, job.sha256), ne(jobs.status, "REVERTED")))
          .limit(1);
        const reason = `This file was already imported as job ${existing?.id ?? "?"} (${existing?.fileName ?? "same file"})`;
        await tx
          .update(uploadSessionFiles)
          .set({ status: "REFUSED", reason, finishedAt: new Date(), updatedAt: new Date() })
          .where(eq(uploadSessionFiles.id, fileId));
        await tx
          .update(uploadSessions)
          .set({ refusedFiles: sql`${uploadSessions.refusedFiles} + 1`, updatedAt: new Date() })
          .where(eq(uploadSessions.id, sessionId));
        return { kind: "duplicate", existingJobId: existing?.id ?? 0 };
      }
      jobId = created.id;
    }
    if (jobId === null) throw new Error(`session file ${fileId} has neither a job nor the makings of one`);
    await tx
      .update(uploadSessionFiles)
      // started_at stays null until the job is queued: a replay queues the RUNNING files that have none.
      .set({ status: "RUNNING", jobId, reason: null, startedAt: null, finishedAt: null, updatedAt: new Date() })
      .where(eq(uploadSessionFiles.id, fileId));
    return { kind: "started", jobId };
  });
}

/** A started file's job was handed to processing. */
export async function markFileQueued({ fileId }: { fileId: number }): Promise<void> {
  const db = await getDb();
  await db
    .update(uploadSessionFiles)
    .set({ startedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(uploadSessionFiles.id, fileId), isNull(uploadSessionFiles.startedAt)));
}

/**
 * RUNNING files whose job was created but not queued (the step that started them stopped in between, or
 * another run of the step is between starting and queueing one: queued twice, the job's runs claim it and
 * one processes it).
 */
export async function unqueuedRunningFiles({
  sessionId,
}: {
  sessionId: number;
}): Promise<{ fileId: number; jobId: number }[]> {
  const db = await getDb();
  const found = await db
    .select({ fileId: uploadSessionFiles.id, jobId: uploadSessionFiles.jobId })
    .from(uploadSessionFiles)
    .where(
      and(
        eq(uploadSessionFiles.sessionId, sessionId),
        eq(uploadSessionFiles.status, "RUNNING"),
        isNull(uploadSessionFiles.startedAt),
        isNotNull(uploadSessionFiles.jobId),
      ),
    )
    .orderBy(asc(uploadSessionFiles.id));
  return found.flatMap((row) => (row.jobId === null ? [] : [{ fileId: row.fileId, jobId: row.jobId }]));
}

/** The files an outcome of their job can change: running, or waiting for review. */
const OUTCOME_TAKERS = ["RUNNING", "NEEDS_REVIEW"] as const;

/** Each job outcome a session file can take, and the session counter that counts it. */
const FILE_OUTCOMES = {
  COMPLETED: "completedFiles",
  NEEDS_REVIEW: "needsReviewFiles",
  FAILED: "failedFiles",
  CANCELLED: "cancelledFiles",
} as const;

export type FileOutcomeStatus = keyof typeof FILE_OUTCOMES;
export const FILE_OUTCOME_STATUSES = Object.keys(FILE_OUTCOMES) as FileOutcomeStatus[];

/**
 * A session file's job reached an outcome: a RUNNING file takes it, and so does a file waiting for review
 * whose job moved on (its review ended, it was cancelled, failed, or reprocessed). In one transaction with
 * the session locked, and only while the job still has that status: an outcome told twice, or told after
 * a newer one, changes nothing more. The file keeps its job's rows with issues as they are now; the
 * session's rows staged, rows landed, rows with issues and bytes are recounted from its files that ended
 * COMPLETED or NEEDS_REVIEW (a review lands more rows). Answers the session's id when a file changed status.
 */
export async function recordFileOutcome({
  jobId,
  status,
}: {
  jobId: number;
  status: FileOutcomeStatus;
}): Promise<number | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ id: uploadSessionFiles.id, sessionId: uploadSessionFiles.sessionId })
      .from(uploadSessionFiles)
      .where(and(eq(uploadSessionFiles.jobId, jobId), inArray(uploadSessionFiles.status, OUTCOME_TAKERS)))
      .limit(1);
    if (!found) return null;
    await lockSession({ db: tx, sessionId: found.sessionId });
    const [file] = await tx
      .select({ status: uploadSessionFiles.status })
      .from(uploadSessionFiles)
      .where(and(eq(uploadSessionFiles.id, found.id), inArray(uploadSessionFiles.status, OUTCOME_TAKERS)));
    const [job] = await tx.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId));
    if (!file || job?.status !== status) return null;
    const [issueRows] = await tx
      .select({ rows: countDistinct(issueItems.stagingId) })
      .from(issueItems)
      .where(eq(issueItems.jobId, jobId));
    const moved = file.status !== status;
    await tx
      .update(uploadSessionFiles)
      .set({
        status,
        issueRows: issueRows?.rows ?? 0,
        ...(moved ? { finishedAt: new Date() } : {}),
        updatedAt: new Date(),
      })
      .where(eq(uploadSessionFiles.id, found.id));
    const [landed] = await tx
      .select({
        staged: sql<number>`coalesce(sum(${jobs.stagedRows}), 0)`.mapWith(Number),
        landed: sql<number>`coalesce(sum(${jobs.insertedCount} + ${jobs.updatedCount}), 0)`.mapWith(Number),
        issues: sql<number>`coalesce(sum(${uploadSessionFiles.issueRows}), 0)`.mapWith(Number),
        bytes: sql<number>`coalesce(sum(${jobs.sizeBytes}), 0)`.mapWith(Number),
      })
      .from(uploadSessionFiles)
      .innerJoin(jobs, eq(jobs.id, uploadSessionFiles.jobId))
      .where(
        and(
          eq(uploadSessionFiles.sessionId, found.sessionId),
          inArray(uploadSessionFiles.status, ["COMPLETED", "NEEDS_REVIEW"]),
        ),
      );
    await tx
      .update(uploadSessions)
      .set({
        ...(moved ? { [FILE_OUTCOMES[status]]: sql`${uploadSessions[FILE_OUTCOMES[status]]} + 1` } : {}),
        ...(moved && file.status === "NEEDS_REVIEW"
          ? { needsReviewFiles: sql`${uploadSessions.needsReviewFiles} - 1` }
          : {}),
        rowsStaged: landed?.staged ?? 0,
        rowsLanded: landed?.landed ?? 0,
        rowsWithIssues: landed?.issues ?? 0,
        bytes: landed?.bytes ?? 0,
        updatedAt: new Date(),
      })
      .where(eq(uploadSessions.id, found.sessionId));
    return moved ? found.sessionId : null;
  });
}

/**
 * A RUNNING session with no file attached or running ends: CANCELLED when a cancel was asked for,
 * COMPLETED when any file landed or waits for review, else FAILED with the reason. Null while work is left.
 */
export async function finishSessionIfDone({ sessionId }: { sessionId: number }): Promise<UploadSession | null> {
  const db = await getDb();
  const [session] = await db
    .update(uploadSessions)
    .set({
      status: sql`case
        when ${uploadSessions.cancelRequestedAt} is not null then 'CANCELLED'
        when ${uploadSessions.completedFiles} + ${uploadSessions.needsReviewFiles} > 0 then 'COMPLETED'
        else 'FAILED' end::upload_session_status`,
      failureReason: sql`case
        when ${uploadSessions.cancelRequestedAt} is null
          and ${uploadSessions.completedFiles} + ${uploadSessions.needsReviewFiles} = 0
        then case when ${uploadSessions.totalFiles} = 0 then 'The session has no files'
          else 'No file could be imported: ' || ${uploadSessions.refusedFiles} || ' refused, '
            || ${uploadSessions.failedFiles} || ' failed, ' || ${uploadSessions.cancelledFiles} || ' cancelled' end
        end`,
      finishedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(uploadSessions.id, sessionId),
        eq(uploadSessions.status, "RUNNING"),
        sql`not exists (select 1 from ${uploadSessionFiles}
          where ${uploadSessionFiles.sessionId} = ${uploadSessions.id}
            and ${inArray(uploadSessionFiles.status, [...WAITING_FILE_STATUSES, "RUNNING"])})`,
      ),
    )
    .returning();
  return session ?? null;
}

/** A session's run gave up: its files not started yet are FAILED with the reason (a retry runs them) and counted. */
export async function failAttachedFiles({ sessionId, reason }: { sessionId: number; reason: string }): Promise<number> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await lockSession({ db: tx, sessionId });
    const failed = await tx
      .update(uploadSessionFiles)
      .set({ status: "FAILED", reason, finishedAt: new Date(), updatedAt: new Date() })
      .where(
        and(eq(uploadSessionFiles.sessionId, sessionId), inArray(uploadSessionFiles.status, WAITING_FILE_STATUSES)),
      )
      .returning({ id: uploadSessionFiles.id });
    await tx
      .update(uploadSessions)
      .set({ failedFiles: sql`${uploadSessions.failedFiles} + ${failed.length}`, updatedAt: new Date() })
      .where(eq(uploadSessions.id, sessionId));
    return failed.length;
  });
}

export type SessionStop = { kind: "stopped"; session: UploadSession; cancelledFiles: number } | { kind: "finished" };

/**
 * Stops a pending or running session: its files not started yet are CANCELLED (and counted) and the
 * cancel is recorded; a pending session is CANCELLED at once, a running one when its running files end.
 */
export async function cancelSessionFiles({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<SessionStop | null> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<SessionStop | null> => {
    const session = await lockSession({ db: tx, sessionId });
    if (!session || session.companyId !== companyId) return null;
    if (session.status !== "PENDING" && session.status !== "RUNNING") return { kind: "finished" };
    const cancelled = await tx
      .update(uploadSessionFiles)
      .set({ status: "CANCELLED", reason: "The session was cancelled", finishedAt: new Date(), updatedAt: new Date() })
      .where(
        and(eq(uploadSessionFiles.sessionId, sessionId), inArray(uploadSessionFiles.status, WAITING_FILE_STATUSES)),
      )
      .returning({ id: uploadSessionFiles.id });
    const now = new Date();
    const [updated] = await tx
      .update(uploadSessions)
      .set({
        cancelRequestedAt: now,
        cancelledFiles: sql`${uploadSessions.cancelledFiles} + ${cancelled.length}`,
        ...(session.status === "PENDING" ? { status: "CANCELLED" as const, finishedAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(uploadSessions.id, sessionId))
      .returning();
    if (!updated) throw new Error(`session ${sessionId} vanished while locked`);
    return { kind: "stopped", session: updated, cancelledFiles: cancelled.length };
  });
}

export type SessionRetry =
  | { kind: "retrying"; session: UploadSession; files: number; jobIds: number[] }
  | { kind: "not-finished"; status: UploadSession["status"] }
  | { kind: "nothing-failed" };

/**
 * A finished session's FAILED files are attached again (each keeping its job, to be reprocessed) and the
 * session is PENDING again, to be started. The failed count goes back down by as many.
 */
export async function reattachFailedFiles({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<SessionRetry | null> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<SessionRetry | null> => {
    const session = await lockSession({ db: tx, sessionId });
    if (!session || session.companyId !== companyId) return null;
    if (session.status === "PENDING" || session.status === "RUNNING") {
      return { kind: "not-finished", status: session.status };
    }
    const reattached = await tx
      .update(uploadSessionFiles)
      .set({ status: "ATTACHED", reason: null, startedAt: null, finishedAt: null, updatedAt: new Date() })
      .where(and(eq(uploadSessionFiles.sessionId, sessionId), eq(uploadSessionFiles.status, "FAILED")))
      .returning({ jobId: uploadSessionFiles.jobId });
    if (reattached.length === 0) return { kind: "nothing-failed" };
    const [updated] = await tx
      .update(uploadSessions)
      .set({
        status: "PENDING",
        failedFiles: sql`${uploadSessions.failedFiles} - ${reattached.length}`,
        failureReason: null,
        cancelRequestedAt: null,
        finishedAt: null,
        updatedAt: new Date(),
      })
      .where(eq(uploadSessions.id, sessionId))
      .returning();
    if (!updated) throw new Error(`session ${sessionId} vanished while locked`);
    return {
      kind: "retrying",
      session: updated,
      files: reattached.length,
      jobIds: reattached.flatMap((file) => (file.jobId === null ? [] : [file.jobId])),
    };
  });
}
