import { route } from "@/lib/api/route";
import { listAuditEventsContract } from "@/lib/api/contracts/audit";
import { toAuditEventJson } from "@/lib/api/json/audit";
import { listCompanyAuditEvents } from "@/lib/audit/list";

export const GET = route(listAuditEventsContract, async ({ ctx, query }) => {
  const page = await listCompanyAuditEvents(ctx, {
    limit: query.limit,
    before: query.before,
    action: query.action,
    targetType: query.target_type,
  });
  return { events: page.events.map(toAuditEventJson), next_cursor: page.nextCursor };
});
