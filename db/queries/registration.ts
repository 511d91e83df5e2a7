import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { jobEvents, jobs, type Job } from "@/db/schema";

/** The company's job of a file with this SHA-256, unless that job was reverted. */
export async function findJobByHash({ companyId, sha256 }: { companyId: string; sha256: string }): Promise<Job | null> {
  const db = await getDb();
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.companyId, companyId), eq(jobs.sha256, sha256), ne(jobs.status, "REVERTED")))
    .limit(1);
  return job ?? null;
}

/** The company's job that owns the stored object at `key`. */
export async function findJobByKey({ companyId, key }: { companyId: string; key: string }): Promise<Job | null> {
  const db = await getDb();
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.companyId, companyId), eq(jobs.storageKey, key)))
    .limit(1);
  return job ?? null;
}

export type UploadedJob = Pick<
  typeof jobs.$inferInsert,
  | "companyId"
  | "createdById"
  | "createdByApiKeyId"
  | "fileName"
  | "storageKey"
  | "sha256"
  | "sizeBytes"
  | "encoding"
  | "delimiter"
  | "headerMapping"
  | "layout"
  | "importMode"
  | "totalRows"
>;

/**
 * A PENDING job for a stored file, with "Uploaded" on its timeline, in one transaction. Null when the
 * insert conflicts (the company already has a job of the same file that is not reverted).
 */
export async function insertUploadedJob({
  job: values,
  actorUserId,
}: {
  job: UploadedJob;
  actorUserId: string | null;
}): Promise<Job | null> {
  const db = await getDb();
  return db.transaction((tx) => insertUploadedJobWith({ db: tx, job: values, actorUserId }));
}

/** The same inside a caller's transaction (an upload session marks its file running in the same one). */
export async function insertUploadedJobWith({
  db,
  job: values,
  actorUserId,
  message = "Uploaded",
}: {
  db: Database;
  job: UploadedJob & { uploadSessionId?: number | null };
  actorUserId: string | null;
  message?: string;
}): Promise<Job | null> {
  const [created] = await db.insert(jobs).values(values).onConflictDoNothing().returning();
  if (created) await db.insert(jobEvents).values({ jobId: created.id, status: "PENDING", message, actorUserId });
  return created ?? null;
}
