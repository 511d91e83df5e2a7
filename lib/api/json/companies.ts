import type { z } from "zod";
import type { CompanyWithMemberCount } from "@/db/queries/companies";
import type { companyDetailSchema, companySchema } from "@/lib/api/contracts/companies";
import type { CallerCompany } from "@/lib/tenancy/companies";

export function companyJson(company: CallerCompany): z.input<typeof companySchema> {
  return {
    id: company.id,
    name: company.name,
    slug: company.slug,
    is_active: company.isActive,
    created_at: company.createdAt.toISOString(),
    updated_at: company.updatedAt.toISOString(),
    groups: company.groups,
  };
}

export function companyDetailJson(
  company: CallerCompany & CompanyWithMemberCount,
): z.input<typeof companyDetailSchema> {
  return { ...companyJson(company), member_count: company.memberCount };
}
