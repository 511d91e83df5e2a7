import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { projects, uploadSessions, type Project } from "@/db/schema";
import { sessionsBlockingDeletion } from "@/db/queries/upload-sessions";

export type ProjectWithCounts = Project & { cycleCount: number; sessionCount: number };

const projectColumns = {
  id: projects.id,
  companyId: projects.companyId,
  name: projects.name,
  description: projects.description,
  createdById: projects.createdById,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
  // Written out with their tables: drizzle leaves the columns of a one-table select unqualified.
  cycleCount: sql<number>`(select count(*) from cycles c where c.project_id = "projects"."id")`.mapWith(Number),
  sessionCount: sql<number>`(select count(*) from upload_sessions s join cycles c on c.id = s.cycle_id
    where c.project_id = "projects"."id")`.mapWith(Number),
};

export async function insertProject(values: {
  companyId: string;
  name: string;
  description: string | null;
  createdById: string | null;
}): Promise<number> {
  const db = await getDb();
  const [row] = await db.insert(projects).values(values).returning({ id: projects.id });
  if (!row) throw new Error("project insert returned no row");
  return row.id;
}

/** The company's projects by name, a page of them, with how many cycles and sessions each has. */
export async function listProjects({
  companyId,
  limit,
  offset,
}: {
  companyId: string;
  limit: number;
  offset: number;
}): Promise<{ projects: ProjectWithCounts[]; total: number }> {
  const db = await getDb();
  const where = eq(projects.companyId, companyId);
  const [rows, [counted]] = await Promise.all([
    db
      .select(projectColumns)
      .from(projects)
      .where(where)
      .orderBy(asc(projects.name), asc(projects.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(projects).where(where),
  ]);
  return { projects: rows, total: counted?.total ?? 0 };
}

export async function findProject({
  id,
  companyId,
}: {
  id: number;
  companyId: string;
}): Promise<ProjectWithCounts | null> {
  const db = await getDb();
  const [row] = await db
    .select(projectColumns)
    .from(projects)
    .where(and(eq(projects.id, id), eq(projects.companyId, companyId)))
    .limit(1);
  return row ?? null;
}

/** False when the company has no such project. */
export async function updateProject({
  id,
  companyId,
  patch,
}: {
  id: number;
  companyId: string;
  patch: { name?: string; description?: string | null };
}): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(projects)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(projects.id, id), eq(projects.companyId, companyId)))
    .returning({ id: projects.id });
  return rows.length > 0;
}

/**
 * Deletes the project (its cycles and sessions go with it, by foreign key) unless a session stands in the
 * way: any session at all without `cascade`, a pending or running one with it. False when nothing was deleted.
 */
export async function deleteProject({
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
    .delete(projects)
    .where(
      and(
        eq(projects.id, id),
        eq(projects.companyId, companyId),
        sql`not exists (select 1 from ${uploadSessions} join cycles c on c.id = ${uploadSessions.cycleId}
          where c.project_id = "projects"."id" and ${sessionsBlockingDeletion(cascade)})`,
      ),
    )
    .returning({ id: projects.id });
  return rows.length > 0;
}
