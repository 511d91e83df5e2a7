import "server-only";
import {
  countTenants,
  findTenant,
  insertTenant,
  listTenants,
  markTenantForDeletion,
  updateTenant,
  type Tenant,
  type TenantPatch,
} from "@/db/queries/tenants";
import { findUserByEmail } from "@/db/queries/users";
import { isUuid } from "@/db/queries/memberships";
import { recordAuditEvent } from "@/lib/audit/record";
import type { TenantContext } from "@/lib/auth/context";
import { dispatch } from "@/lib/background/dispatch";
import { TENANT_DELETION_REQUESTED } from "@/lib/background/events";
import { DomainError, invalidField } from "@/lib/errors";
import { addMember } from "@/lib/tenancy/members";
import { assertPlatformAdmin } from "@/lib/tenancy/tenants-access";

export type { Tenant };

/** Whether the tenant works, is switched off by a platform admin, or is on its way out. */
export type TenantStatus = "active" | "suspended" | "deleting";

export function tenantStatus(tenant: Pick<Tenant, "isActive" | "deletionRequestedAt">): TenantStatus {
  if (tenant.deletionRequestedAt) return "deleting";
  return tenant.isActive ? "active" : "suspended";
}

/** One page of every tenant, oldest first, with what each holds. */
export async function listPlatformTenants(
  ctx: TenantContext,
  { page, pageSize }: { page: number; pageSize: number },
): Promise<{ tenants: Tenant[]; total: number }> {
  assertPlatformAdmin(ctx);
  const [tenants, total] = await Promise.all([
    listTenants({ limit: pageSize, offset: (page - 1) * pageSize }),
    countTenants(),
  ]);
  return { tenants, total };
}

export async function getPlatformTenant(ctx: TenantContext, companyId: string): Promise<Tenant> {
  assertPlatformAdmin(ctx);
  const tenant = isUuid(companyId) ? await findTenant({ companyId }) : null;
  if (!tenant) throw tenantNotFound(companyId);
  return tenant;
}

export type NewTenantInput = {
  name: string;
  /** The first admin: an account that exists already, or a new one with `adminPassword` or an invitation. */
  adminEmail?: string | null;
  adminName?: string | null;
  adminPassword?: string | null;
  adminInvite?: boolean;
};

export type FirstAdmin = {
  id: string;
  email: string;
  created: boolean;
  /** The one-time link to set a password, shown this once; null when none was made. */
  invitation: { url: string; expiresAt: Date } | null;
};

/**
 * A new company, with a first admin when `adminEmail` is given, added as the company's admins add
 * members (lib/tenancy/members.ts): an existing account joins as it is (its password stays; sending
 * one is refused), a new account gets `adminPassword` or a one-time invitation link.
 */
export async function createPlatformTenant(
  ctx: TenantContext,
  { name, adminEmail, adminName, adminPassword, adminInvite }: NewTenantInput,
): Promise<{ tenant: Tenant; admin: FirstAdmin | null }> {
  assertPlatformAdmin(ctx);
  if (adminPassword && adminInvite)
    throw invalidField("body.admin_invite", "send admin_password or admin_invite, not both");
  if (!adminEmail) {
    if (adminPassword || adminInvite || adminName) {
      throw invalidField("body.admin_email", "is required with admin_name, admin_password or admin_invite");
    }
  } else {
    const existing = await findUserByEmail({ email: adminEmail });
    if (existing && adminPassword) {
      throw new DomainError(
        "CONFLICT",
        `An account with the email ${adminEmail} exists already: leave admin_password out to make it the admin (its password stays)`,
        { admin_email: adminEmail },
      );
    }
    if (!existing && !adminPassword && !adminInvite) {
      throw invalidField(
        "body.admin_password",
        "is required for the new account of admin_email (or send admin_invite: true)",
      );
    }
  }
  const company = await insertTenant({ name });
  await recordAuditEvent(ctx, {
    action: "tenant.created",
    target: { type: "tenant", id: company.id },
    after: { name: company.name, slug: company.slug, first_admin: adminEmail?.trim().toLowerCase() ?? null },
    companyId: company.id,
  });
  let admin: FirstAdmin | null = null;
  if (adminEmail) {
    // Added as that company's admin would add them, so the tenant's own audit trail shows it too.
    const inTenant: TenantContext = {
      ...ctx,
      companyId: company.id,
      companyName: company.name,
      companySlug: company.slug,
    };
    const added = await addMember(inTenant, {
      email: adminEmail,
      name: adminName ?? adminEmail.split("@")[0] ?? adminEmail,
      groups: ["admin"],
      credential: adminPassword ? { password: adminPassword } : { invite: true },
    });
    admin = {
      id: added.member.userId,
      email: added.member.email ?? adminEmail,
      created: !added.existingAccount,
      invitation: added.invitation,
    };
  }
  return { tenant: await getPlatformTenant(ctx, company.id), admin };
}

/**
 * Renames, suspends or reactivates a tenant, or sets its rate limits. A tenant being deleted can no
 * longer change; the company the caller acts in cannot be suspended by them (it would lock them out).
 */
export async function updatePlatformTenant(ctx: TenantContext, companyId: string, patch: TenantPatch): Promise<Tenant> {
  const before = await getPlatformTenant(ctx, companyId);
  if (before.deletionRequestedAt) throw beingDeleted(before);
  patch = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  if (patch.isActive === false && before.isActive && companyId === ctx.companyId) throw ownCompany(before, "suspend");
  if (!(await updateTenant({ companyId, patch }))) throw beingDeleted(before);
  const after = await getPlatformTenant(ctx, companyId);
  const changed = (Object.keys(patch) as (keyof TenantPatch)[]).filter((field) => before[field] !== after[field]);
  if (changed.length > 0) {
    await recordAuditEvent(ctx, {
      action: "tenant.updated",
      target: { type: "tenant", id: companyId },
      before: Object.fromEntries(changed.map((field) => [field, before[field]])),
      after: Object.fromEntries(changed.map((field) => [field, after[field]])),
      companyId,
    });
  }
  return after;
}

/**
 * Marks the tenant for deletion (from now on it is gone to its members and keys) and hands the
 * removal to the background (delete-tenant). Asking again while it runs starts a run that carries on
 * from what is left, so a deletion that failed part-way is finished by asking again.
 */
export async function requestTenantDeletion(ctx: TenantContext, companyId: string): Promise<Tenant> {
  const before = await getPlatformTenant(ctx, companyId);
  if (companyId === ctx.companyId) throw ownCompany(before, "delete");
  const marked = await markTenantForDeletion({ companyId });
  if (!marked) throw tenantNotFound(companyId);
  if (!before.deletionRequestedAt) {
    // Recorded outside the company (companyId null) so that the record outlives it.
    await recordAuditEvent(ctx, {
      action: "tenant.deletion_requested",
      target: { type: "tenant", id: companyId },
      before: {
        name: before.name,
        slug: before.slug,
        members: before.memberCount,
        jobs: before.jobCount,
        contacts: before.contactCount,
      },
      companyId: null,
    });
  }
  try {
    await dispatch({ name: TENANT_DELETION_REQUESTED, data: { companyId } });
  } catch (error) {
    throw new DomainError(
      "SERVICE_UNAVAILABLE",
      "The tenant is marked for deletion but its removal could not be started; ask again to start it",
      { tenant_id: companyId, reason: error instanceof Error ? error.message : String(error) },
    );
  }
  // Not read again: the background run may have removed the company by now.
  return { ...before, ...marked };
}

const tenantNotFound = (companyId: string) =>
  new DomainError("NOT_FOUND", `Tenant ${companyId} not found`, { tenant_id: companyId });

const beingDeleted = (tenant: Tenant) =>
  new DomainError("CONFLICT", `Tenant '${tenant.name}' is being deleted and can no longer be changed`, {
    tenant_id: tenant.id,
  });

const ownCompany = (tenant: Tenant, verb: "suspend" | "delete") =>
  new DomainError(
    "CONFLICT",
    `You are acting in '${tenant.name}': switch to another company before you ${verb} it, or you would lock yourself out`,
    { tenant_id: tenant.id },
  );
