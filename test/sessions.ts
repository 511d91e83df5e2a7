import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db";
import type { SessionFile } from "@/db/queries/session-files";
import { startSessionFile } from "@/db/queries/session-runs";
import { cycles, projects, uploadSessions, type UploadSession } from "@/db/schema";
import { checkStoredObject, uploadedJobRow } from "@/lib/ingest/register";
import { unique } from "@/test/fixtures";

/**
 * A project with a cycle holding one session, finished by default (deletable with `?cascade=true`, were it
 * reachable); a PENDING one takes files and starts.
 */
export async function insertSessionTree(
  db: Database,
  companyId: string,
  { status = "COMPLETED" }: { status?: "PENDING" | "COMPLETED" } = {},
): Promise<{ project: number; cycle: number; session: number }> {
  const [project] = await db
    .insert(projects)
    .values({ companyId, name: `Project ${unique()}` })
    .returning({ id: projects.id });
  if (!project) throw new Error("project insert returned no row");
  const [cycle] = await db
    .insert(cycles)
    .values({ companyId, projectId: project.id, name: `Cycle ${unique()}` })
    .returning({ id: cycles.id });
  if (!cycle) throw new Error("cycle insert returned no row");
  const [session] = await db
    .insert(uploadSessions)
    .values({ companyId, cycleId: cycle.id, name: `Session ${unique()}`, status })
    .returning({ id: uploadSessions.id });
  if (!session) throw new Error("session insert returned no row");
  return { project: project.id, cycle: cycle.id, session: session.id };
}

/** Every project, cycle and session of a company, in full: what a leaked write would change. */
export async function sessionTreeState(db: Database, companyId: string) {
  return {
    projects: await db.select().from(projects).where(eq(projects.companyId, companyId)).orderBy(asc(projects.id)),
    cycles: await db.select().from(cycles).where(eq(cycles.companyId, companyId)).orderBy(asc(cycles.id)),
    sessions: await db
      .select()
      .from(uploadSessions)
      .where(eq(uploadSessions.companyId, companyId))
      .orderBy(asc(uploadSessions.id)),
  };
}

/**
 * The file started as a session's run starts it (checked again, its job created, the file RUNNING) but not
 * queued: what a run leaves that stopped between starting a file and queueing its job. Answers the job's id.
 */
export async function startFileUnqueued(session: UploadSession, file: SessionFile): Promise<number> {
  const size = file.sizeBytes ?? 0;
  const checked = await checkStoredObject({
    companyId: session.companyId,
    key: file.storageKey,
    fileName: file.fileName,
    size,
  });
  const started = await startSessionFile({
    sessionId: session.id,
    fileId: file.id,
    concurrency: 4,
    actorUserId: null,
    job: uploadedJobRow({
      companyId: session.companyId,
      createdById: null,
      createdByApiKeyId: null,
      fileName: file.fileName,
      key: file.storageKey,
      size,
      sha256: checked.sha256,
      layout: checked.layout,
      importMode: session.importMode,
      totalRows: null,
    }),
  });
  if (started.kind !== "started") throw new Error(`file ${file.id} did not start: ${started.kind}`);
  return started.jobId;
}
