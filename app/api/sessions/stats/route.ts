import { route } from "@/lib/api/route";
import { sessionStatsContract } from "@/lib/api/contracts/sessions";
import { sessionStatsJson } from "@/lib/api/json/sessions";
import { companySessionStats } from "@/lib/sessions/stats";

export const GET = route(sessionStatsContract, async ({ ctx, query }) =>
  sessionStatsJson(await companySessionStats(ctx, { projectId: query.project_id, cycleId: query.cycle_id })),
);
