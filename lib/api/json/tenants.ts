import type { z } from "zod";
import type { createTenantContract, tenantSchema } from "@/lib/api/contracts/tenants";
import { tenantStatus, type FirstAdmin, type Tenant } from "@/lib/tenancy/tenants";

export function toTenantJson(tenant: Tenant): z.input<typeof tenantSchema> {
  return {
    id: tenant.id,
    name: tenant.name,
    slug: tenant.slug,
    is_active: tenant.isActive,
    status: tenantStatus(tenant),
    rate_limit_per_minute: tenant.rateLimitPerMinute,
    rate_limit_per_hour: tenant.rateLimitPerHour,
    rate_limit_per_day: tenant.rateLimitPerDay,
    member_count: tenant.memberCount,
    job_count: tenant.jobCount,
    contact_count: tenant.contactCount,
    deletion_requested_at: tenant.deletionRequestedAt?.toISOString() ?? null,
    deletion_progress: tenant.deletionRequestedAt ? (tenant.deletionProgress ?? {}) : null,
    created_at: tenant.createdAt.toISOString(),
    updated_at: tenant.updatedAt.toISOString(),
  };
}

export function toFirstAdminJson(admin: FirstAdmin | null): z.input<typeof createTenantContract.response>["admin"] {
  if (!admin) return null;
  return {
    id: admin.id,
    email: admin.email,
    created: admin.created,
    invitation_url: admin.invitation?.url ?? null,
    invitation_expires_at: admin.invitation?.expiresAt.toISOString() ?? null,
  };
}
