import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { uploadSessions, type cycles, type projects } from "@/db/schema";
import { sessionsBlockingDeletion } from "@/db/queries/upload-sessions";

/** The tables whose rows hold upload sessions: a project through its cycles, a cycle directly. */
type SessionOwnerTable = typeof projects | typeof cycles;

export type SessionOwnerKey = { id: number; companyId: string };

/** Writes the patch (and a fresh updated_at) to the company's row. False when the company has no such row. */
export async function updateSessionOwner<Table extends SessionOwnerTable>(
  table: Table,
  { id, companyId }: SessionOwnerKey,
  patch: Partial<Table["$inferInsert"]>,
): Promise<boolean> {
  // drizzle's set() cannot check a generic table's patch; the signature above keeps it to that table's columns.
  const owner: SessionOwnerTable = table;
  const db = await getDb();
  const rows = await db
    .update(owner)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(table.id, id), eq(table.companyId, companyId)))
    .returning({ id: table.id });
  return rows.length > 0;
}

/**
 * Deletes the company's row (its sessions go with it, by foreign key) unless one of its sessions, those
 * matching `ownsSession`, stands in the way: any session at all without `cascade`, a pending or running one
 * with it. False when nothing was deleted.
 */
export async function deleteSessionOwner(
  table: SessionOwnerTable,
  { id, companyId, cascade }: SessionOwnerKey & { cascade: boolean },
  ownsSession: SQL,
): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .delete(table)
    .where(
      and(
        eq(table.id, id),
        eq(table.companyId, companyId),
        sql`not exists (select 1 from ${uploadSessions} where ${ownsSession} and ${sessionsBlockingDeletion(cascade)})`,
      ),
    )
    .returning({ id: table.id });
  return rows.length > 0;
}
