import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { projects, uploadSessions, type Project } from "@/db/schema";
import { deleteSessionOwner, updateSessionOwner, type SessionOwnerKey } from "@/db/queries/session-owners";

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
export function updateProject({
  patch,
  ...key
}: SessionOwnerKey & { patch: { name?: string; description?: string | null } }): Promise<boolean> {
  return updateSessionOwner(projects, key, patch);
}

/** Deletes the project with its cycles and sessions unless a session stands in the way (see deleteSessionOwner). */
export function deleteProject(key: SessionOwnerKey & { cascade: boolean }): Promise<boolean> {
  return deleteSessionOwner(
    projects,
    key,
    sql`${uploadSessions.cycleId} in (select c.id from cycles c where c.project_id = "projects"."id")`,
  );
}
