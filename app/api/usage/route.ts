import { route } from "@/lib/api/route";
import { getUsageContract } from "@/lib/api/contracts/usage";
import { toUsageReportJson } from "@/lib/api/json/usage";
import { readCompanyUsage } from "@/lib/usage/report";

export const GET = route(getUsageContract, async ({ ctx, query }) =>
  toUsageReportJson(await readCompanyUsage(ctx, { from: query.from, to: query.to })),
);
