import "server-only";
import { announceJobOutcomeAfterRequest } from "@/lib/ingest/outcome";
import { getDb, type Database, type JobScope } from "@/db";
import { findRunState, markCancelRequested, unmarkImportedRows } from "@/db/queries/cancellation";
import { findJob, findJobForWorker, lockJob, transitionJob } from "@/db/queries/jobs";
import { deleteInsertedContacts, forgetRevertedChanges, restoreUpdatedContacts } from "@/db/queries/revert";
import type { Job } from "@/db/schema";
import type { StepRunner } from "@/lib/background/definition";
import { jobNotFound } from "@/lib/ingest/company-job";
import { jobAllows, statusesAllowing } from "@/lib/ingest/job-status";
import { DomainError } from "@/lib/errors";

/** A job whose cancellation was requested: its run stops before the next step. */
export class JobCancelledError extends Error {
  constructor(
    readonly jobId: number,
    readonly beforeStep: string,
  ) {
    super(`Job ${jobId} was cancelled; stopped before step ${beforeStep}`);
    this.name = "JobCancelledError";
  }
}

/** What asking a job to stop found: stopped already (PENDING jobs stop at once), or stopping at its next step. */
export type CancelRequest =
  { outcome: "cancelled" | "stopping"; job: Job } | { outcome: "not-running"; job: Job } | { outcome: "not-found" };

/** Who asks which of the company's jobs to stop (`actorName` is how the timeline names them). */
type CancelAsk = { jobId: number; companyId: string; actorUserId: string | null; actorName: string };

/**
 * An editor asks a job to stop. A PENDING job (its run has not started) is CANCELLED at once; a
 * PROCESSING one is marked, and its run stops at the next step boundary, undoing what it landed
 * (see stopCancelledJob). Under the job's lock, so the run's own moves out of PROCESSING (which take
 * it too) either happen before, and the job is no longer running, or see the request.
 */
export async function requestCancel({ jobId, companyId, actorUserId, actorName }: CancelAsk): Promise<CancelRequest> {
  const db = await getDb();
  return db.transaction(async (tx): Promise<CancelRequest> => {
    const job = await lockJob({ db: tx, jobId, companyId });
    if (!job) return { outcome: "not-found" };
    if (!jobAllows(job.status, "cancel")) return { outcome: "not-running", job };
    if (job.status === "PENDING") {
      const cancelled = await transitionJob({
        db: tx,
        jobId,
        from: ["PENDING"],
        to: "CANCELLED",
        message: `Cancelled by ${actorName} before processing started`,
        actorUserId,
        patch: { cancelRequestedAt: new Date(), finishedAt: new Date() },
      });
      return cancelled ? { outcome: "cancelled", job: cancelled } : { outcome: "not-running", job };
    }
    if (job.cancelRequestedAt) return { outcome: "stopping", job };
    const marked = await markCancelRequested({
      db: tx,
      jobId,
      message: `Cancel requested by ${actorName}; stopping at the next step`,
      actorUserId,
    });
    return { outcome: "stopping", job: marked ?? job };
  });
}

/**
 * POST /api/jobs/{id}/cancel: asks the company's job to stop (requestCancel) and waits a little for its
 * run to stop (awaitStop). Returns the job CANCELLED, or still PROCESSING while its run is stopping. 404
 * for a job the company does not have; 409 for one that is not running, or that finished (or failed)
 * before its run reached a step where it could stop.
 */
export async function cancelJob(ask: CancelAsk): Promise<Job & { status: "CANCELLED" | "PROCESSING" }> {
  const { jobId, companyId } = ask;
  const request = await requestCancel(ask);
  if (request.outcome === "not-found") throw jobNotFound(jobId);
  if (request.outcome === "not-running") {
    throw new DomainError(
      "CONFLICT",
      `Job ${jobId} is ${request.job.status}; only ${statusesAllowing("cancel", " or ")} jobs can be cancelled`,
      {
        status: request.job.status,
      },
    );
  }
  // Cancelled here (it had not started); a running job's own run announces how it ended.
  if (request.outcome === "cancelled") await announceJobOutcomeAfterRequest({ jobId });
  const job = request.outcome === "cancelled" ? request.job : await awaitStop({ jobId, companyId });
  if (!job) throw jobNotFound(jobId);
  const { status } = job;
  if (status === "CANCELLED" || status === "PROCESSING") return { ...job, status };
  // The run finished (or failed) before it reached a step boundary where it could stop.
  throw new DomainError("CONFLICT", `Job ${jobId} became ${job.status} before it could be stopped`, {
    status: job.status,
  });
}

/**
 * True when the job's run must not take another step: someone asked the PROCESSING job to stop, or it
 * was stopped already (CANCELLED: a replayed run — Inngest replays a run from its start on every call,
 * the in-process runner after a crash — must not go on where the stopped one left off), or it is gone.
 */
export async function cancelRequested(jobId: number): Promise<boolean> {
  const job = await findRunState({ jobId });
  if (!job) return true;
  return job.status === "CANCELLED" || (job.status === "PROCESSING" && job.cancelRequestedAt !== null);
}

/**
 * Steps that look first whether the job was asked to stop, and throw JobCancelledError instead of
 * running the next step. So a run stops between steps, never inside one: each step's writes are whole
 * (a staging chunk, an insert range) and can be undone as a whole. It asks before the first step and
 * after every step that did its work; steps replayed from their record (Inngest replays every finished
 * step on each call) do not ask again.
 */
export function cancellableSteps({ jobId, step }: { jobId: number; step: StepRunner }): StepRunner {
  let mustAsk = true;
  return {
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      if (mustAsk) {
        if (await cancelRequested(jobId)) throw new JobCancelledError(jobId, id);
        mustAsk = false;
      }
      return step.run(id, () => {
        mustAsk = true;
        return work();
      });
    },
  };
}

/**
 * Under the job's lock: runs `finish` (a move out of PROCESSING) only while the job is PROCESSING and
 * nobody asked it to stop; otherwise nothing is done and null is returned (the run then stops through
 * stopCancelledJob).
 */
export async function unlessCancelled<T>({
  jobId,
  companyId,
  finish,
}: {
  jobId: number;
  companyId: string;
  finish: (tx: Database) => Promise<T>;
}): Promise<T | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const job = await lockJob({ db: tx, jobId, companyId });
    if (job?.status !== "PROCESSING" || job.cancelRequestedAt !== null) return null;
    return finish(tx);
  });
}

/**
 * Undoes what a job's runs landed, inside the caller's transaction (which holds the job's lock): the
 * contacts it inserted are removed and those it updated restored (as a revert does, and the undone
 * updates forgotten so that running it again makes them again), and its rows marked IMPORTED are
 * READY again. What staging wrote stays until the job is reprocessed or deleted.
 */
async function undoLanding({ db, jobId, companyId }: JobScope): Promise<{ removed: number; restored: number }> {
  const removed = await deleteInsertedContacts({ db, jobId, companyId });
  const restored = await restoreUpdatedContacts({ db, jobId, companyId });
  await forgetRevertedChanges({ db, jobId, companyId });
  await unmarkImportedRows({ db, jobId });
  return { removed, restored };
}

const undoneSummary = ({ removed, restored }: { removed: number; restored: number }) =>
  removed + restored > 0 ? `; ${removed} contacts it had inserted removed, ${restored} it had updated restored` : "";

/**
 * Ends a job that is not done (PENDING or PROCESSING) as `to`, in one transaction under its lock, with
 * what it landed undone: a CANCELLED or FAILED job has no contact of its own. Does nothing to a job in
 * any other status (a retried step, or the job finished first). Returns what was undone.
 */
export async function endUnfinishedJob({
  jobId,
  to,
  message,
  patch = {},
}: {
  jobId: number;
  to: "CANCELLED" | "FAILED";
  message: string;
  patch?: { error?: string };
}): Promise<{ removed: number; restored: number }> {
  const found = await findJobForWorker({ jobId });
  if (!found) return { removed: 0, restored: 0 };
  const companyId = found.companyId;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const job = await lockJob({ db: tx, jobId, companyId });
    if (!job || (job.status !== "PROCESSING" && job.status !== "PENDING")) return { removed: 0, restored: 0 };
    const undone = await undoLanding({ db: tx, jobId, companyId });
    await transitionJob({
      db: tx,
      jobId,
      from: ["PENDING", "PROCESSING"],
      to,
      message: `${message}${undoneSummary(undone)}`,
      patch: { ...patch, finishedAt: new Date(), insertedCount: 0, updatedCount: 0 },
    });
    return undone;
  });
}

/** The last step of a cancelled run: the job CANCELLED, with what it landed undone. */
export function stopCancelledJob({ jobId }: { jobId: number }): Promise<{ removed: number; restored: number }> {
  return endUnfinishedJob({ jobId, to: "CANCELLED", message: "Cancelled: stopped between steps" });
}

const STOP_WAIT_MS = 8_000;
const STOP_POLL_MS = 200;

/**
 * Waits a little for a run asked to stop to reach its next step boundary (steps take seconds at
 * most), so the answer to a cancel is usually CANCELLED already. Returns the job as it then is.
 */
export async function awaitStop({
  jobId,
  companyId,
  timeoutMs = STOP_WAIT_MS,
}: {
  jobId: number;
  companyId: string;
  timeoutMs?: number;
}): Promise<Job | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await findJob({ jobId, companyId });
    if (!job || job.status !== "PROCESSING" || Date.now() >= deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
  }
}
