import "server-only";
import {
  deleteUploadSession,
  findUploadSession,
  insertUploadSession,
  listUploadSessions,
  updateUploadSession,
  type SessionWithProject,
} from "@/db/queries/upload-sessions";
import type { UploadSession } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/context";
import { DomainError, invalidField } from "@/lib/errors";
import { getCycle } from "@/lib/sessions/cycles";
import { getProject } from "@/lib/sessions/projects";
import { notFound, pageWindow, type Page } from "@/lib/sessions/scope";
import { sessionStatusFromName, sessionStatusName, type SessionStatusName } from "@/lib/sessions/status";

export type { SessionWithProject };
type ImportMode = UploadSession["importMode"];

/** Which of the company's sessions, as a caller names them; each id must be the company's (404 otherwise). */
export type SessionFilter = { cycleId?: number; projectId?: number; status?: SessionStatusName };

/** Checks that the filter's project and cycle are the company's, and turns it into the stored names. */
export async function resolveSessionFilter(ctx: TenantContext, { cycleId, projectId, status }: SessionFilter) {
  if (projectId !== undefined) await getProject(ctx, projectId);
  if (cycleId !== undefined) await getCycle(ctx, cycleId);
  return {
    companyId: ctx.companyId,
    cycleId,
    projectId,
    status: status === undefined ? undefined : sessionStatusFromName(status),
  };
}

export async function createSession(
  ctx: TenantContext,
  fields: { cycleId: number; name: string; source: string | null; importMode: ImportMode },
): Promise<SessionWithProject> {
  await getCycle(ctx, fields.cycleId);
  const id = await insertUploadSession({ companyId: ctx.companyId, createdById: ctx.user?.id ?? null, ...fields });
  return getSession(ctx, id);
}

export async function listCompanySessions(ctx: TenantContext, { page, pageSize, ...filter }: Page & SessionFilter) {
  return listUploadSessions({ ...(await resolveSessionFilter(ctx, filter)), ...pageWindow({ page, pageSize }) });
}

export async function getSession(ctx: TenantContext, id: number): Promise<SessionWithProject> {
  const session = await findUploadSession({ id, companyId: ctx.companyId });
  if (!session) throw notFound("session", id);
  return session;
}

/**
 * Changes the name, source or import mode (the mode only while pending). `status` is accepted only as the
 * session's current one (seed 002 clients send the whole object back): sessions move by starting and cancelling.
 */
export async function changeSession(
  ctx: TenantContext,
  id: number,
  { status, ...patch }: { name?: string; source?: string | null; importMode?: ImportMode; status?: SessionStatusName },
): Promise<SessionWithProject> {
  const session = await getSession(ctx, id);
  const current = sessionStatusName(session.status);
  if (status !== undefined && status !== current) {
    throw invalidField(
      "body.status",
      `is ${current} and changes only by starting (POST /api/uploads/start) or cancelling (POST /api/sessions/${id}/cancel)`,
    );
  }
  if (patch.importMode !== undefined && patch.importMode !== session.importMode && session.status !== "PENDING") {
    throw importModeFixed(id, current);
  }
  const unchangedMode = patch.importMode === session.importMode;
  const changed = await updateUploadSession({
    id,
    companyId: ctx.companyId,
    patch: { ...patch, importMode: unchangedMode ? undefined : patch.importMode },
  });
  if (!changed) {
    const now = await getSession(ctx, id);
    throw importModeFixed(id, sessionStatusName(now.status));
  }
  return getSession(ctx, id);
}

const importModeFixed = (id: number, status: SessionStatusName) =>
  new DomainError("CONFLICT", `The session ${id} is ${status}: its import mode changes only while it is pending`, {
    session_id: id,
    status,
  });

/** Deletes the session and its file list; its jobs stay. 409 while it is in progress. */
export async function removeSession(ctx: TenantContext, id: number): Promise<SessionWithProject> {
  const session = await getSession(ctx, id);
  if (await deleteUploadSession({ id, companyId: ctx.companyId })) return session;
  const now = await findUploadSession({ id, companyId: ctx.companyId });
  if (!now) throw notFound("session", id);
  throw new DomainError(
    "CONFLICT",
    `The session ${id} is in progress: cancel it (POST /api/sessions/${id}/cancel) and delete it once it has stopped`,
    { session_id: id, status: sessionStatusName(now.status) },
  );
}
