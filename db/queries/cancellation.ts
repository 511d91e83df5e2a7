import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { jobEvents, jobs, type Job, type JobStatus } from "@/db/schema";

/**
 * Marks a PROCESSING job asked to stop, with the request on its timeline; its run stops at its next
 * step. In the caller's transaction, which holds the job's lock.
 */
export async function markCancelRequested({
  db,
  jobId,
  message,
  actorUserId,
}: {
  db: Database;
  jobId: number;
  message: string;
  actorUserId: string | null;
}): Promise<Job | null> {
  const [marked] = await db.update(jobs).set({ cancelRequestedAt: new Date() }).where(eq(jobs.id, jobId)).returning();
  await db.insert(jobEvents).values({ jobId, status: "PROCESSING", message, actorUserId });
  return marked ?? null;
}

/** What a job's run asks before each step: the job's status and whether it was asked to stop (null when it is gone). */
export async function findRunState({
  jobId,
}: {
  jobId: number;
}): Promise<{ status: JobStatus; cancelRequestedAt: Date | null } | null> {
  const db = await getDb();
  const [job] = await db
    .select({ status: jobs.status, cancelRequestedAt: jobs.cancelRequestedAt })
    .from(jobs)
    .where(eq(jobs.id, jobId))
    .limit(1);
  return job ?? null;
}

/** The job's rows marked IMPORTED are READY again (what it landed was undone). */
export async function unmarkImportedRows({ db, jobId }: { db: Database; jobId: number }): Promise<void> {
  await db.execute(
    sql`UPDATE staging_rows SET status = 'READY', updated_at = now() WHERE job_id = ${jobId} AND status = 'IMPORTED'`,
  );
}
