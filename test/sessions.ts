import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db";
import { cycles, projects, uploadSessions } from "@/db/schema";
import { unique } from "@/test/fixtures";

/** A project with a cycle holding one finished session: deletable with `?cascade=true`, were it reachable. */
export async function insertSessionTree(
  db: Database,
  companyId: string,
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
    .values({ companyId, cycleId: cycle.id, name: `Session ${unique()}`, status: "COMPLETED" })
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
