import "server-only";
import { and, asc, count, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { cycles, uploadSessions, type Cycle } from "@/db/schema";
import { deleteSessionOwner, updateSessionOwner, type SessionOwnerKey } from "@/db/queries/session-owners";

export type CycleWithCounts = Cycle & { sessionCount: number };

const cycleColumns = {
  id: cycles.id,
  companyId: cycles.companyId,
  projectId: cycles.projectId,
  name: cycles.name,
  startsOn: cycles.startsOn,
  endsOn: cycles.endsOn,
  status: cycles.status,
  createdAt: cycles.createdAt,
  updatedAt: cycles.updatedAt,
  // Written out with its table: drizzle leaves the columns of a one-table select unqualified.
  sessionCount: sql<number>`(select count(*) from upload_sessions s where s.cycle_id = "cycles"."id")`.mapWith(Number),
};

export type CycleFields = {
  name: string;
  startsOn: Date | null;
  endsOn: Date | null;
  status: Cycle["status"];
};

export async function insertCycle(values: CycleFields & { companyId: string; projectId: number }): Promise<number> {
  const db = await getDb();
  const [row] = await db.insert(cycles).values(values).returning({ id: cycles.id });
  if (!row) throw new Error("cycle insert returned no row");
  return row.id;
}

/** The company's cycles (of one project when given), latest start first, a page of them. */
export async function listCycles({
  companyId,
  projectId,
  limit,
  offset,
}: {
  companyId: string;
  projectId?: number;
  limit: number;
  offset: number;
}): Promise<{ cycles: CycleWithCounts[]; total: number }> {
  const db = await getDb();
  const conditions: SQL[] = [eq(cycles.companyId, companyId)];
  if (projectId !== undefined) conditions.push(eq(cycles.projectId, projectId));
  const where = and(...conditions);
  const [rows, [counted]] = await Promise.all([
    db
      .select(cycleColumns)
      .from(cycles)
      .where(where)
      .orderBy(sql`${cycles.startsOn} desc nulls last`, asc(cycles.name), asc(cycles.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(cycles).where(where),
  ]);
  return { cycles: rows, total: counted?.total ?? 0 };
}

export async function findCycle({ id, companyId }: { id: number; companyId: string }): Promise<CycleWithCounts | null> {
  const db = await getDb();
  const [row] = await db
    .select(cycleColumns)
    .from(cycles)
    .where(and(eq(cycles.id, id), eq(cycles.companyId, companyId)))
    .limit(1);
  return row ?? null;
}

/** False when the company has no such cycle. */
export function updateCycle({ patch, ...key }: SessionOwnerKey & { patch: Partial<CycleFields> }): Promise<boolean> {
  return updateSessionOwner(cycles, key, patch);
}

/** Deletes the cycle with its sessions unless a session stands in the way (see deleteSessionOwner). */
export function deleteCycle(key: SessionOwnerKey & { cascade: boolean }): Promise<boolean> {
  return deleteSessionOwner(cycles, key, sql`${uploadSessions.cycleId} = "cycles"."id"`);
}
