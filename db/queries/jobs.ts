import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb, type Database, type JobScope } from "@/db";
import {
  issueItems,
  issues,
  jobEvents,
  jobs,
  stagingRows,
  users,
  type Job,
  type JobEvent,
  type JobStatus,
} from "@/db/schema";

type JobPatch = Partial<Omit<typeof jobs.$inferInsert, "id" | "companyId" | "status">>;

/**
 * Moves a job to `to` if it is in one of `from`, recording the change on its timeline. Returns the
 * updated job, or null when the job was not in an allowed status (someone else moved it first).
 */
export async function transitionJob({
  jobId,
  from,
  to,
  message,
  actorUserId,
  patch = {},
  db: given,
}: {
  jobId: number;
  from: readonly JobStatus[];
  to: JobStatus;
  message?: string;
  actorUserId?: string | null;
  patch?: JobPatch;
  db?: Database;
}): Promise<Job | null> {
  const db = given ?? (await getDb());
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({ ...patch, status: to })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, [...from])))
      .returning();
    if (!job) return null;
    await tx
      .insert(jobEvents)
      .values({ jobId, status: to, message: message ?? null, actorUserId: actorUserId ?? null });
    return job;
  });
}

/** The company's job (null when it has none with this id). */
export async function findJob({ jobId, companyId }: { jobId: number; companyId: string }): Promise<Job | null> {
  const db = await getDb();
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.companyId, companyId)))
    .limit(1);
  return job ?? null;
}

/**
 * A job by id alone, for background work: its id comes from the run's own event (sent when the job was
 * created or reprocessed), never from a caller, so there is no company to check it against.
 */
export async function findJobForWorker({ jobId }: { jobId: number }): Promise<Job | null> {
  const db = await getDb();
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId)).limit(1);
  return job ?? null;
}

/**
 * The job while the background run `runId` processes it (it moved it to PROCESSING); null otherwise. A
 * PROCESSING job with no claim (its run started before claims were recorded) is claimed by this run.
 */
export async function claimProcessingJob({ jobId, runId }: { jobId: number; runId: string }): Promise<Job | null> {
  const db = await getDb();
  const [job] = await db
    .update(jobs)
    .set({ processingRunId: runId })
    .where(
      and(
        eq(jobs.id, jobId),
        eq(jobs.status, "PROCESSING"),
        or(eq(jobs.processingRunId, runId), isNull(jobs.processingRunId)),
      ),
    )
    .returning();
  return job ?? null;
}

/**
 * The company's job, locked until the transaction ends: writes that must see the job's status hold
 * while they work (review edits, and the move out of review) take this first, so they run one at a time.
 */
export async function lockJob({ db, jobId, companyId }: JobScope): Promise<Job | null> {
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.companyId, companyId)))
    .for("update");
  return job ?? null;
}

export async function updateJob({ jobId, patch }: { jobId: number; patch: JobPatch }): Promise<void> {
  const db = await getDb();
  await db.update(jobs).set(patch).where(eq(jobs.id, jobId));
}

export type JobWithCreator = Job & { creator: { id: string; email: string | null; name: string | null } | null };

/** The company's jobs, newest first, a page at a time, optionally of one status. */
export async function listJobs({
  companyId,
  status,
  page,
  pageSize,
}: {
  companyId: string;
  status?: JobStatus;
  page: number;
  pageSize: number;
}): Promise<{ jobs: JobWithCreator[]; total: number }> {
  const db = await getDb();
  const where = and(eq(jobs.companyId, companyId), status ? eq(jobs.status, status) : undefined);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({ job: jobs, creatorId: users.id, creatorEmail: users.email, creatorName: users.name })
      .from(jobs)
      .leftJoin(users, eq(users.id, jobs.createdById))
      .where(where)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(jobs).where(where),
  ]);
  return {
    jobs: rows.map((row) => ({
      ...row.job,
      creator: row.creatorId ? { id: row.creatorId, email: row.creatorEmail, name: row.creatorName } : null,
    })),
    total: totalRow?.total ?? 0,
  };
}

export async function findJobWithCreator({
  jobId,
  companyId,
}: {
  jobId: number;
  companyId: string;
}): Promise<JobWithCreator | null> {
  const db = await getDb();
  const [row] = await db
    .select({ job: jobs, creatorId: users.id, creatorEmail: users.email, creatorName: users.name })
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.createdById))
    .where(and(eq(jobs.id, jobId), eq(jobs.companyId, companyId)))
    .limit(1);
  if (!row) return null;
  return {
    ...row.job,
    creator: row.creatorId ? { id: row.creatorId, email: row.creatorEmail, name: row.creatorName } : null,
  };
}

export async function listJobEvents({ jobId }: { jobId: number }): Promise<JobEvent[]> {
  const db = await getDb();
  return db
    .select()
    .from(jobEvents)
    .where(eq(jobEvents.jobId, jobId))
    .orderBy(asc(jobEvents.createdAt), asc(jobEvents.id));
}

/** The latest entry of the job's timeline (in the caller's transaction). */
export async function lastJobEvent({
  db,
  jobId,
}: {
  db: Database;
  jobId: number;
}): Promise<Pick<JobEvent, "id" | "status" | "message"> | null> {
  const [last] = await db
    .select({ id: jobEvents.id, status: jobEvents.status, message: jobEvents.message })
    .from(jobEvents)
    .where(eq(jobEvents.jobId, jobId))
    .orderBy(desc(jobEvents.createdAt), desc(jobEvents.id))
    .limit(1);
  return last ?? null;
}

/**
 * Removes a job with its staging rows, issues and timeline (the stored file is removed by the caller),
 * in the caller's transaction, which holds the job's lock (lockJob) and has checked its status.
 */
export async function deleteJobRecord({ db, jobId }: { db: Database; jobId: number }): Promise<void> {
  // Issue items and staging rows have no foreign keys to cascade from (see the schema).
  await deleteIssues({ db, jobId });
  await db.delete(stagingRows).where(eq(stagingRows.jobId, jobId));
  await db.delete(jobs).where(eq(jobs.id, jobId));
}

/** A job's issues and the items that tie them to its rows (through the issue key's index). */
async function deleteIssues({ db, jobId }: { db: Database; jobId: number }): Promise<void> {
  await db
    .delete(issueItems)
    .where(inArray(issueItems.issueId, db.select({ id: issues.id }).from(issues).where(eq(issues.jobId, jobId))));
  await db.delete(issues).where(eq(issues.jobId, jobId));
}

/**
 * Clears what processing produced (staging rows, issues, counters) so the job can run again, if it is
 * in one of `from`: the job, PENDING again, or null when it was in none (nothing changed).
 */
export async function clearJobForReprocess({
  jobId,
  from,
  actorUserId,
}: {
  jobId: number;
  from: readonly JobStatus[];
  actorUserId: string | null;
}): Promise<Job | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        status: "PENDING",
        stagedRows: 0,
        processedRows: 0,
        processedBytes: 0,
        totalRows: null,
        issueCount: 0,
        insertedCount: 0,
        updatedCount: 0,
        skippedCount: 0,
        malformedRows: 0,
        blankRows: 0,
        error: null,
        cancelRequestedAt: null,
        processingRunId: null,
        startedAt: null,
        finishedAt: null,
      })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, [...from])))
      .returning();
    if (!job) return null;
    await deleteIssues({ db: tx, jobId });
    await tx.delete(stagingRows).where(eq(stagingRows.jobId, jobId));
    await tx.insert(jobEvents).values({ jobId, status: "PENDING", message: "Reprocessing requested", actorUserId });
    return job;
  });
}
