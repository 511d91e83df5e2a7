import "server-only";
import { and, asc, count, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { cycles, uploadSessions, type Cycle } from "@/db/schema";
import { sessionsBlockingDeletion } from "@/db/queries/upload-sessions";

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
export async function updateCycle({
  id,
  companyId,
  patch,
}: {
  id: number;
  companyId: string;
  patch: Partial<CycleFields>;
}): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(cycles)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(cycles.id, id), eq(cycles.companyId, companyId)))
    .returning({ id: cycles.id });
  return rows.length > 0;
}

/**
 * Deletes the cycle (its sessions go with it, by foreign key) unless a session stands in the way: any
 * session without `cascade`, a pending or running one with it. False when nothing was deleted.
 */
export async function deleteCycle({
  id,
  companyId,
  cascade,
}: {
  id: number;
  companyId: string;
  cascade: boolean;
}): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .delete(cycles)
    .where(
      and(
        eq(cycles.id, id),
        eq(cycles.companyId, companyId),
        sql`not exists (select 1 from ${uploadSessions}
          where ${uploadSessions.cycleId} = "cycles"."id" and ${sessionsBlockingDeletion(cascade)})`,
      ),
    )
    .returning({ id: cycles.id });
  return rows.length > 0;
}
