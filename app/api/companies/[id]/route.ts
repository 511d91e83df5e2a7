import { route } from "@/lib/api/route";
import { getCompanyContract, updateCompanyContract } from "@/lib/api/contracts/companies";
import { companyDetailJson } from "@/lib/api/json/companies";
import { getCallerCompany, renameCallerCompany } from "@/lib/tenancy/companies";

export const GET = route(getCompanyContract, async ({ ctx, params }) =>
  companyDetailJson(await getCallerCompany(ctx, params.id)),
);

export const PUT = route(updateCompanyContract, async ({ ctx, params, body, log }) => {
  const company = await renameCallerCompany(ctx, { companyId: params.id, name: body.name });
  log.info({ renamed_company_id: company.id }, "company renamed");
  return companyDetailJson(company);
});
