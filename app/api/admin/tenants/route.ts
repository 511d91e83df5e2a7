import { route } from "@/lib/api/route";
import { createTenantContract, listTenantsContract } from "@/lib/api/contracts/tenants";
import { toFirstAdminJson, toTenantJson } from "@/lib/api/json/tenants";
import { createPlatformTenant, listPlatformTenants } from "@/lib/tenancy/tenants";

export const GET = route(listTenantsContract, async ({ ctx, query }) => {
  const { tenants, total } = await listPlatformTenants(ctx, { page: query.page, pageSize: query.page_size });
  return { tenants: tenants.map(toTenantJson), total, page: query.page, page_size: query.page_size };
});

export const POST = route(createTenantContract, async ({ ctx, body, log }) => {
  const { tenant, admin } = await createPlatformTenant(ctx, {
    name: body.name,
    adminEmail: body.admin_email,
    adminName: body.admin_name,
    adminPassword: body.admin_password,
    adminInvite: body.admin_invite,
  });
  log.info({ created_tenant_id: tenant.id, first_admin_id: admin?.id ?? null }, "tenant created");
  return { ...toTenantJson(tenant), admin: toFirstAdminJson(admin) };
});
