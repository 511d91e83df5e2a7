import { route } from "@/lib/api/route";
import { createCycleContract, listCyclesContract } from "@/lib/api/contracts/cycles";
import { cycleJson } from "@/lib/api/json/sessions";
import { createCycle, listCompanyCycles } from "@/lib/sessions/cycles";
import { cycleFieldsFromBody } from "@/lib/sessions/cycle-input";
import { cycleStatusFromName } from "@/lib/sessions/status";

export const GET = route(listCyclesContract, async ({ ctx, query }) => {
  const { cycles, total } = await listCompanyCycles(ctx, {
    projectId: query.project_id,
    page: query.page,
    pageSize: query.page_size,
  });
  return { cycles: cycles.map(cycleJson), total, page: query.page, page_size: query.page_size };
});

export const POST = route(createCycleContract, async ({ ctx, body, log }) => {
  const cycle = await createCycle(ctx, {
    projectId: body.project_id,
    startsOn: null,
    endsOn: null,
    ...cycleFieldsFromBody(body),
    name: body.name,
    status: cycleStatusFromName(body.status),
  });
  log.info({ cycle_id: cycle.id, project_id: cycle.projectId }, "cycle created");
  return cycleJson(cycle);
});
