import "server-only";
import {
  findActiveCompanyWithMemberCount,
  listActiveCompanies,
  renameCompany,
  type CompanyWithMemberCount,
} from "@/db/queries/companies";
import { findMembership, isUuid, listMemberships } from "@/db/queries/memberships";
import type { Company } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { TenantContext } from "@/lib/auth/context";
import { hasGroup, type Group } from "@/lib/auth/groups";
import { DomainError } from "@/lib/errors";

/** A company as its member sees it: the company and the member's groups there. */
export type CallerCompany = Company & { groups: Group[] };

/**
 * The companies the caller belongs to: a person's every active membership; an API key's own company
 * (a key belongs to one company only).
 */
export async function listCallerCompanies(ctx: TenantContext): Promise<CallerCompany[]> {
  const memberships = ctx.user
    ? await listMemberships({ userId: ctx.user.id })
    : [{ companyId: ctx.companyId, groups: ctx.groups }];
  const groupsById = new Map(memberships.map((membership) => [membership.companyId, membership.groups]));
  const companies = await listActiveCompanies({ ids: [...groupsById.keys()] });
  return companies.map((company) => ({ ...company, groups: groupsById.get(company.id) ?? [] }));
}

/** One company the caller belongs to, with its member count; 404 for any other (ids of others do not leak). */
export async function getCallerCompany(
  ctx: TenantContext,
  companyId: string,
): Promise<CompanyWithMemberCount & { groups: Group[] }> {
  const groups = await callerGroupsIn(ctx, companyId);
  const company = groups ? await findActiveCompanyWithMemberCount({ companyId }) : null;
  if (!groups || !company) throw companyNotFound(companyId);
  return { ...company, groups };
}

/** Renames a company the caller is an admin of; its slug stays, so links and storage keys keep working. */
export async function renameCallerCompany(
  ctx: TenantContext,
  { companyId, name }: { companyId: string; name: string },
): Promise<CompanyWithMemberCount & { groups: Group[] }> {
  const current = await getCallerCompany(ctx, companyId);
  if (!hasGroup(current.groups, "admin")) {
    throw new DomainError("FORBIDDEN", `Only an admin of '${current.name}' can rename it`, {
      required_group: "admin",
      your_groups: current.groups,
    });
  }
  if (!(await renameCompany({ companyId, name }))) throw companyNotFound(companyId);
  // Saving the same name again changes nothing worth a line in the trail.
  if (name !== current.name) {
    await recordAuditEvent(ctx, {
      action: "company.renamed",
      target: { type: "company", id: companyId },
      before: { name: current.name },
      after: { name },
      companyId,
    });
  }
  return getCallerCompany(ctx, companyId);
}

/** The caller's groups in that company, or null when they are not a member of it (or it is suspended). */
async function callerGroupsIn(ctx: TenantContext, companyId: string): Promise<Group[] | null> {
  if (!isUuid(companyId)) return null;
  if (!ctx.user) return companyId === ctx.companyId ? ctx.groups : null;
  return (await findMembership({ userId: ctx.user.id, companyId }))?.groups ?? null;
}

const companyNotFound = (companyId: string) =>
  new DomainError("NOT_FOUND", `Company ${companyId} not found among your companies`, { company_id: companyId });
