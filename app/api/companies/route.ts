import { route } from "@/lib/api/route";
import { listCompaniesContract } from "@/lib/api/contracts/companies";
import { companyJson } from "@/lib/api/json/companies";
import { listCallerCompanies } from "@/lib/tenancy/companies";

export const GET = route(listCompaniesContract, async ({ ctx }) => (await listCallerCompanies(ctx)).map(companyJson));
