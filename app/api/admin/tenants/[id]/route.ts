import { route } from "@/lib/api/route";
import { deleteTenantContract, getTenantContract, updateTenantContract } from "@/lib/api/contracts/tenants";
import { toTenantJson } from "@/lib/api/json/tenants";
import { getPlatformTenant, requestTenantDeletion, updatePlatformTenant } from "@/lib/tenancy/tenants";

export const GET = route(getTenantContract, async ({ ctx, params }) =>
  toTenantJson(await getPlatformTenant(ctx, params.id)),
);

export const PUT = route(updateTenantContract, async ({ ctx, params, body, log }) => {
  const tenant = await updatePlatformTenant(ctx, params.id, {
    name: body.name,
    isActive: body.is_active,
    rateLimitPerMinute: body.rate_limit_per_minute,
    rateLimitPerHour: body.rate_limit_per_hour,
    rateLimitPerDay: body.rate_limit_per_day,
  });
  log.info({ updated_tenant_id: tenant.id }, "tenant updated");
  return toTenantJson(tenant);
});

export const DELETE = route(deleteTenantContract, async ({ ctx, params, log }) => {
  const tenant = await requestTenantDeletion(ctx, params.id);
  log.info({ deleted_tenant_id: tenant.id }, "tenant deletion requested");
  return toTenantJson(tenant);
});
