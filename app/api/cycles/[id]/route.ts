import { route } from "@/lib/api/route";
import { deleteCycleContract, getCycleContract, updateCycleContract } from "@/lib/api/contracts/cycles";
import { cycleJson } from "@/lib/api/json/sessions";
import { changeCycle, getCycle, removeCycle } from "@/lib/sessions/cycles";
import { cycleFieldsFromBody } from "@/lib/sessions/cycle-input";

export const GET = route(getCycleContract, async ({ ctx, params }) => cycleJson(await getCycle(ctx, params.id)));

export const PUT = route(updateCycleContract, async ({ ctx, params, body }) =>
  cycleJson(await changeCycle(ctx, params.id, cycleFieldsFromBody(body))),
);

export const DELETE = route(deleteCycleContract, async ({ ctx, params, query, log }) => {
  const cycle = await removeCycle(ctx, params.id, query.cascade);
  log.info({ cycle_id: cycle.id, cascade: query.cascade }, "cycle deleted");
  return cycleJson(cycle);
});
