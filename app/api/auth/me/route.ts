import { listMemberships } from "@/db/queries/memberships";
import { route } from "@/lib/api/route";
import { meContract } from "@/lib/api/contracts/auth";

export const GET = route(meContract, async ({ ctx }) => {
  const companies = ctx.user
    ? await listMemberships({ userId: ctx.user.id })
    : [{ companyId: ctx.companyId, companyName: ctx.companyName, companySlug: ctx.companySlug, groups: ctx.groups }];
  return {
    auth_method: ctx.method,
    user: ctx.user
      ? { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, is_platform_admin: ctx.user.isPlatformAdmin }
      : null,
    api_key: ctx.apiKey,
    company: { id: ctx.companyId, name: ctx.companyName, slug: ctx.companySlug },
    groups: ctx.groups,
    companies: companies.map((m) => ({ id: m.companyId, name: m.companyName, slug: m.companySlug, groups: m.groups })),
  };
});
