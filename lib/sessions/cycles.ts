import "server-only";
import {
  deleteCycle,
  findCycle,
  insertCycle,
  listCycles,
  updateCycle,
  type CycleFields,
  type CycleWithCounts,
} from "@/db/queries/cycles";
import type { TenantContext } from "@/lib/auth/context";
import { DomainError, invalidField } from "@/lib/errors";
import { getProject } from "@/lib/sessions/projects";
import { notFound, pageWindow, refuseDeletionForSessions, withUniqueName, type Page } from "@/lib/sessions/scope";

export type { CycleFields, CycleWithCounts };

const nameTaken = (projectId: number, name: string) =>
  new DomainError("CONFLICT", `The project already has a cycle named "${name}"`, { project_id: projectId, name });

function checkDates({ startsOn, endsOn }: Pick<CycleFields, "startsOn" | "endsOn">): void {
  if (startsOn && endsOn && endsOn < startsOn) {
    throw invalidField("body.end_date", `must be on or after the start date ${startsOn.toISOString().slice(0, 10)}`);
  }
}

export async function createCycle(
  ctx: TenantContext,
  { projectId, ...fields }: CycleFields & { projectId: number },
): Promise<CycleWithCounts> {
  await getProject(ctx, projectId);
  checkDates(fields);
  const id = await withUniqueName(
    () => insertCycle({ companyId: ctx.companyId, projectId, ...fields }),
    () => nameTaken(projectId, fields.name),
  );
  return getCycle(ctx, id);
}

export async function listCompanyCycles(ctx: TenantContext, { projectId, ...page }: Page & { projectId?: number }) {
  if (projectId !== undefined) await getProject(ctx, projectId);
  return listCycles({ companyId: ctx.companyId, projectId, ...pageWindow(page) });
}

export async function getCycle(ctx: TenantContext, id: number): Promise<CycleWithCounts> {
  const cycle = await findCycle({ id, companyId: ctx.companyId });
  if (!cycle) throw notFound("cycle", id);
  return cycle;
}

export async function changeCycle(
  ctx: TenantContext,
  id: number,
  patch: Partial<CycleFields>,
): Promise<CycleWithCounts> {
  const cycle = await getCycle(ctx, id);
  checkDates({
    startsOn: patch.startsOn === undefined ? cycle.startsOn : patch.startsOn,
    endsOn: patch.endsOn === undefined ? cycle.endsOn : patch.endsOn,
  });
  const changed = await withUniqueName(
    () => updateCycle({ id, companyId: ctx.companyId, patch }),
    () => nameTaken(cycle.projectId, patch.name ?? cycle.name),
  );
  if (!changed) throw notFound("cycle", id);
  return getCycle(ctx, id);
}

/** Deletes the cycle; with `cascade`, its finished sessions too (their jobs stay). */
export async function removeCycle(ctx: TenantContext, id: number, cascade: boolean): Promise<CycleWithCounts> {
  const cycle = await getCycle(ctx, id);
  if (await deleteCycle({ id, companyId: ctx.companyId, cascade })) return cycle;
  const refusal = await refuseDeletionForSessions({ kind: "cycle", id, name: cycle.name }, ctx.companyId, cascade);
  throw refusal ?? notFound("cycle", id);
}
