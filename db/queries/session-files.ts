import "server-only";
import { and, asc, countDistinct, eq, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { issueItems, jobs, uploadSessionFiles, uploadSessions, type JobStatus, type UploadSession } from "@/db/schema";

export type SessionFile = typeof uploadSessionFiles.$inferSelect;

/** The session's row, locked until the transaction ends: what every change of its files and counters starts with. */
export async function lockSession({
  db,
  sessionId,
}: {
  db: Database;
  sessionId: number;
}): Promise<UploadSession | null> {
  const [session] = await db
    .select()
    .from(uploadSessions)
    .where(eq(uploadSessions.id, sessionId))
    .limit(1)
    .for("update");
  return session ?? null;
}

export type AttachResult =
  | { kind: "attached"; file: SessionFile }
  | { kind: "not-pending"; status: UploadSession["status"] }
  | { kind: "already-attached" }
  | { kind: "missing" };

/** What is known of an object recorded on a session: a checked file, or one whose upload URL was just issued. */
export type SessionFileState =
  | {
      kind: "checked";
      /** Why the file cannot be imported; null for a file that passed every check. */ refusal: string | null;
    }
  | { kind: "uploading" };

/**
 * Records an object on a PENDING session (UPLOADING, ATTACHED, or REFUSED with its reason) and counts it,
 * in one transaction with the session locked, so a concurrent start sees either all of it or none. A
 * checked file whose key was recorded UPLOADING takes the verdict in place; any other key recorded
 * already is `already-attached`.
 */
export async function insertSessionFile({
  companyId,
  sessionId,
  storageKey,
  fileName,
  sizeBytes,
  state,
  fromPrefix = false,
}: {
  companyId: string;
  sessionId: number;
  storageKey: string;
  fileName: string;
  sizeBytes: number | null;
  state: SessionFileState;
  /** Found under an S3 prefix rather than uploaded for Intake. */
  fromPrefix?: boolean;
}): Promise<AttachResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const session = await lockSession({ db: tx, sessionId });
    if (!session || session.companyId !== companyId) return { kind: "missing" } as const;
    if (session.status !== "PENDING") return { kind: "not-pending", status: session.status } as const;
    const refusal = state.kind === "checked" ? state.refusal : null;
    const verdict = {
      fileName,
      sizeBytes,
      status: state.kind === "uploading" ? ("UPLOADING" as const) : refusal === null ? "ATTACHED" : "REFUSED",
      reason: refusal,
      finishedAt: refusal === null ? null : new Date(),
    } as const;
    const [recorded] = await tx
      .select({ id: uploadSessionFiles.id, status: uploadSessionFiles.status })
      .from(uploadSessionFiles)
      .where(and(eq(uploadSessionFiles.sessionId, sessionId), eq(uploadSessionFiles.storageKey, storageKey)))
      .limit(1);
    if (recorded && (recorded.status !== "UPLOADING" || state.kind === "uploading")) {
      return { kind: "already-attached" } as const;
    }
    const [file] = recorded
      ? await tx
          .update(uploadSessionFiles)
          .set({ ...verdict, updatedAt: new Date() })
          .where(eq(uploadSessionFiles.id, recorded.id))
          .returning()
      : await tx
          .insert(uploadSessionFiles)
          .values({ companyId, sessionId, storageKey, fromPrefix, ...verdict })
          .returning();
    if (!file) throw new Error(`session ${sessionId}'s file ${storageKey} was not recorded`);
    await tx
      .update(uploadSessions)
      .set({
        totalFiles: sql`${uploadSessions.totalFiles} + ${recorded ? 0 : 1}`,
        refusedFiles: sql`${uploadSessions.refusedFiles} + ${refusal === null ? 0 : 1}`,
        updatedAt: new Date(),
      })
      .where(eq(uploadSessions.id, sessionId));
    return { kind: "attached", file } as const;
  });
}

export type SessionFileWithJob = SessionFile & {
  job: {
    status: JobStatus;
    stagedRows: number;
    issueCount: number;
    rowsWithIssues: number;
    insertedCount: number;
    updatedCount: number;
  } | null;
};

/** A session's files in the order they were attached, each with its job's counts once it has one. */
export async function listSessionFiles({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<SessionFileWithJob[]> {
  const db = await getDb();
  const rowsWithIssues = db
    .select({ jobId: issueItems.jobId, rows: countDistinct(issueItems.stagingId).as("rows") })
    .from(issueItems)
    .innerJoin(uploadSessionFiles, eq(uploadSessionFiles.jobId, issueItems.jobId))
    .where(eq(uploadSessionFiles.sessionId, sessionId))
    .groupBy(issueItems.jobId)
    .as("rows_with_issues");
  const found = await db
    .select({
      file: uploadSessionFiles,
      job: {
        id: jobs.id,
        status: jobs.status,
        stagedRows: jobs.stagedRows,
        issueCount: jobs.issueCount,
        insertedCount: jobs.insertedCount,
        updatedCount: jobs.updatedCount,
      },
      rowsWithIssues: rowsWithIssues.rows,
    })
    .from(uploadSessionFiles)
    .leftJoin(jobs, eq(jobs.id, uploadSessionFiles.jobId))
    .leftJoin(rowsWithIssues, eq(rowsWithIssues.jobId, uploadSessionFiles.jobId))
    .where(and(eq(uploadSessionFiles.sessionId, sessionId), eq(uploadSessionFiles.companyId, companyId)))
    .orderBy(asc(uploadSessionFiles.id));
  return found.map(({ file, job, rowsWithIssues: issueRows }) => ({
    ...file,
    job: job
      ? {
          status: job.status,
          stagedRows: job.stagedRows,
          issueCount: job.issueCount,
          rowsWithIssues: Number(issueRows ?? 0),
          insertedCount: job.insertedCount,
          updatedCount: job.updatedCount,
        }
      : null,
  }));
}
