import "server-only";
import { and, count, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { cycles, uploadSessions, type UploadSession } from "@/db/schema";

type SessionStatus = UploadSession["status"];

export const FINISHED_SESSION_STATUSES = ["COMPLETED", "FAILED", "CANCELLED"] as const satisfies SessionStatus[];
const UNFINISHED_SESSION_STATUSES = ["PENDING", "RUNNING"] as const satisfies SessionStatus[];

/**
 * The condition on upload_sessions that keeps a project or cycle from being deleted: any session at all,
 * or with `cascade` only one not finished yet.
 */
export function sessionsBlockingDeletion(cascade: boolean): SQL {
  return cascade ? inArray(uploadSessions.status, [...UNFINISHED_SESSION_STATUSES]) : sql`true`;
}

export type SessionWithProject = UploadSession & { projectId: number };

const sessionColumns = {
  id: uploadSessions.id,
  companyId: uploadSessions.companyId,
  cycleId: uploadSessions.cycleId,
  name: uploadSessions.name,
  status: uploadSessions.status,
  source: uploadSessions.source,
  sourcePrefix: uploadSessions.sourcePrefix,
  importMode: uploadSessions.importMode,
  totalFiles: uploadSessions.totalFiles,
  completedFiles: uploadSessions.completedFiles,
  needsReviewFiles: uploadSessions.needsReviewFiles,
  refusedFiles: uploadSessions.refusedFiles,
  failedFiles: uploadSessions.failedFiles,
  cancelledFiles: uploadSessions.cancelledFiles,
  rowsStaged: uploadSessions.rowsStaged,
  rowsLanded: uploadSessions.rowsLanded,
  rowsWithIssues: uploadSessions.rowsWithIssues,
  bytes: uploadSessions.bytes,
  failureReason: uploadSessions.failureReason,
  cancelRequestedAt: uploadSessions.cancelRequestedAt,
  createdById: uploadSessions.createdById,
  startedAt: uploadSessions.startedAt,
  finishedAt: uploadSessions.finishedAt,
  createdAt: uploadSessions.createdAt,
  updatedAt: uploadSessions.updatedAt,
  projectId: cycles.projectId,
};

/** Which of the company's sessions: of a cycle, of a project, in a status. */
export type SessionScope = { companyId: string; cycleId?: number; projectId?: number; status?: SessionStatus };

function scopeConditions({ companyId, cycleId, projectId, status }: SessionScope): SQL | undefined {
  const conditions: SQL[] = [eq(uploadSessions.companyId, companyId)];
  if (cycleId !== undefined) conditions.push(eq(uploadSessions.cycleId, cycleId));
  if (projectId !== undefined) conditions.push(eq(cycles.projectId, projectId));
  if (status !== undefined) conditions.push(eq(uploadSessions.status, status));
  return and(...conditions);
}

export async function insertUploadSession(values: {
  companyId: string;
  cycleId: number;
  name: string;
  source: string | null;
  importMode: UploadSession["importMode"];
  createdById: string | null;
}): Promise<number> {
  const db = await getDb();
  const [row] = await db.insert(uploadSessions).values(values).returning({ id: uploadSessions.id });
  if (!row) throw new Error("upload session insert returned no row");
  return row.id;
}

/** The company's sessions in the scope, newest first, a page of them. */
export async function listUploadSessions(
  scope: SessionScope & { limit: number; offset: number },
): Promise<{ sessions: SessionWithProject[]; total: number }> {
  const db = await getDb();
  const where = scopeConditions(scope);
  const [rows, [counted]] = await Promise.all([
    db
      .select(sessionColumns)
      .from(uploadSessions)
      .innerJoin(cycles, eq(cycles.id, uploadSessions.cycleId))
      .where(where)
      .orderBy(desc(uploadSessions.createdAt), desc(uploadSessions.id))
      .limit(scope.limit)
      .offset(scope.offset),
    db
      .select({ total: count() })
      .from(uploadSessions)
      .innerJoin(cycles, eq(cycles.id, uploadSessions.cycleId))
      .where(where),
  ]);
  return { sessions: rows, total: counted?.total ?? 0 };
}

export async function findUploadSession({
  id,
  companyId,
}: {
  id: number;
  companyId: string;
}): Promise<SessionWithProject | null> {
  const db = await getDb();
  const [row] = await db
    .select(sessionColumns)
    .from(uploadSessions)
    .innerJoin(cycles, eq(cycles.id, uploadSessions.cycleId))
    .where(and(eq(uploadSessions.id, id), eq(uploadSessions.companyId, companyId)))
    .limit(1);
  return row ?? null;
}

/**
 * Changes the session's name, source or import mode; the import mode only while the session is pending (a
 * session that has started keeps the mode its files run with). False when nothing was changed.
 */
export async function updateUploadSession({
  id,
  companyId,
  patch,
}: {
  id: number;
  companyId: string;
  patch: { name?: string; source?: string | null; importMode?: UploadSession["importMode"] };
}): Promise<boolean> {
  const db = await getDb();
  const conditions = [eq(uploadSessions.id, id), eq(uploadSessions.companyId, companyId)];
  if (patch.importMode !== undefined) conditions.push(eq(uploadSessions.status, "PENDING"));
  const rows = await db
    .update(uploadSessions)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(...conditions))
    .returning({ id: uploadSessions.id });
  return rows.length > 0;
}

/** Deletes the session unless it is running. False when nothing was deleted. */
export async function deleteUploadSession({ id, companyId }: { id: number; companyId: string }): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .delete(uploadSessions)
    .where(
      and(eq(uploadSessions.id, id), eq(uploadSessions.companyId, companyId), ne(uploadSessions.status, "RUNNING")),
    )
    .returning({ id: uploadSessions.id });
  return rows.length > 0;
}

/** How many sessions a project or cycle has, and how many of them are not finished. */
export async function countSessions(
  scope: { companyId: string } & ({ projectId: number } | { cycleId: number }),
): Promise<{ total: number; unfinished: number }> {
  const db = await getDb();
  const [row] = await db
    .select({
      total: count(),
      unfinished:
        sql<number>`count(*) filter (where ${inArray(uploadSessions.status, [...UNFINISHED_SESSION_STATUSES])})`.mapWith(
          Number,
        ),
    })
    .from(uploadSessions)
    .innerJoin(cycles, eq(cycles.id, uploadSessions.cycleId))
    .where(scopeConditions(scope));
  return { total: row?.total ?? 0, unfinished: row?.unfinished ?? 0 };
}

export type SessionStatsRow = {
  /** null on the row that sums every status. */
  status: SessionStatus | null;
  sessions: number;
  totalFiles: number;
  completedFiles: number;
  needsReviewFiles: number;
  refusedFiles: number;
  failedFiles: number;
  cancelledFiles: number;
  rowsStaged: number;
  rowsLanded: number;
  rowsWithIssues: number;
  bytes: number;
  averageDurationSeconds: number | null;
};

const total = (column: SQL | typeof uploadSessions.bytes) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/**
 * The scope's sessions summed per status, plus one row (status null) over all of them: one grouped
 * statement (ROLLUP), so the totals are the sum of the parts by construction.
 */
export async function sessionStats(scope: SessionScope): Promise<SessionStatsRow[]> {
  const db = await getDb();
  const finished = and(
    inArray(uploadSessions.status, [...FINISHED_SESSION_STATUSES]),
    sql`${uploadSessions.startedAt} is not null and ${uploadSessions.finishedAt} is not null`,
  );
  const rows = await db
    .select({
      status: uploadSessions.status,
      isTotal: sql<number>`grouping(${uploadSessions.status})`.mapWith(Number),
      sessions: count(),
      totalFiles: total(sql`${uploadSessions.totalFiles}`),
      completedFiles: total(sql`${uploadSessions.completedFiles}`),
      needsReviewFiles: total(sql`${uploadSessions.needsReviewFiles}`),
      refusedFiles: total(sql`${uploadSessions.refusedFiles}`),
      failedFiles: total(sql`${uploadSessions.failedFiles}`),
      cancelledFiles: total(sql`${uploadSessions.cancelledFiles}`),
      rowsStaged: total(sql`${uploadSessions.rowsStaged}`),
      rowsLanded: total(sql`${uploadSessions.rowsLanded}`),
      rowsWithIssues: total(sql`${uploadSessions.rowsWithIssues}`),
      bytes: total(sql`${uploadSessions.bytes}`),
      averageDurationSeconds: sql<
        number | null
      >`avg(extract(epoch from ${uploadSessions.finishedAt} - ${uploadSessions.startedAt})) filter (where ${finished})`.mapWith(
        (value: string | number | null) => (value === null ? null : Number(value)),
      ),
    })
    .from(uploadSessions)
    .innerJoin(cycles, eq(cycles.id, uploadSessions.cycleId))
    .where(scopeConditions(scope))
    .groupBy(sql`rollup(${uploadSessions.status})`);
  return rows.map(({ isTotal, status, ...sums }) => ({ ...sums, status: isTotal ? null : status }));
}
