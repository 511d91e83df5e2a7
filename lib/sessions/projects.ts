import "server-only";
import {
  deleteProject,
  findProject,
  insertProject,
  listProjects,
  updateProject,
  type ProjectWithCounts,
} from "@/db/queries/projects";
import type { TenantContext } from "@/lib/auth/context";
import { DomainError } from "@/lib/errors";
import { notFound, pageWindow, refuseDeletionForSessions, withUniqueName, type Page } from "@/lib/sessions/scope";

export type { ProjectWithCounts };

const nameTaken = (name: string) =>
  new DomainError("CONFLICT", `The company already has a project named "${name}"`, { name });

export async function createProject(
  ctx: TenantContext,
  { name, description }: { name: string; description: string | null },
): Promise<ProjectWithCounts> {
  const id = await withUniqueName(
    () => insertProject({ companyId: ctx.companyId, name, description, createdById: ctx.user?.id ?? null }),
    () => nameTaken(name),
  );
  return getProject(ctx, id);
}

export function listCompanyProjects(ctx: TenantContext, page: Page) {
  return listProjects({ companyId: ctx.companyId, ...pageWindow(page) });
}

export async function getProject(ctx: TenantContext, id: number): Promise<ProjectWithCounts> {
  const project = await findProject({ id, companyId: ctx.companyId });
  if (!project) throw notFound("project", id);
  return project;
}

export async function changeProject(
  ctx: TenantContext,
  id: number,
  patch: { name?: string; description?: string | null },
): Promise<ProjectWithCounts> {
  const changed = await withUniqueName(
    () => updateProject({ id, companyId: ctx.companyId, patch }),
    () => nameTaken(patch.name ?? ""),
  );
  if (!changed) throw notFound("project", id);
  return getProject(ctx, id);
}

/** Deletes the project with its cycles; with `cascade`, its finished sessions too (their jobs stay). */
export async function removeProject(ctx: TenantContext, id: number, cascade: boolean): Promise<ProjectWithCounts> {
  const project = await getProject(ctx, id);
  if (await deleteProject({ id, companyId: ctx.companyId, cascade })) return project;
  const refusal = await refuseDeletionForSessions({ kind: "project", id, name: project.name }, ctx.companyId, cascade);
  throw refusal ?? notFound("project", id);
}
