import { route } from "@/lib/api/route";
import { createSessionContract, listSessionsContract } from "@/lib/api/contracts/sessions";
import { sessionJson } from "@/lib/api/json/sessions";
import { createSession, listCompanySessions } from "@/lib/sessions/sessions";

export const GET = route(listSessionsContract, async ({ ctx, query }) => {
  const { sessions, total } = await listCompanySessions(ctx, {
    projectId: query.project_id,
    cycleId: query.cycle_id,
    status: query.status,
    page: query.page,
    pageSize: query.page_size,
  });
  return {
    sessions: sessions.map((session) => sessionJson(session)),
    total,
    page: query.page,
    page_size: query.page_size,
  };
});

export const POST = route(createSessionContract, async ({ ctx, body, log }) => {
  const session = await createSession(ctx, {
    cycleId: body.cycle_id,
    name: body.name,
    source: body.source ?? null,
    importMode: body.import_mode,
  });
  log.info({ session_id: session.id, cycle_id: session.cycleId }, "upload session created");
  return sessionJson(session);
});
