import { route } from "@/lib/api/route";
import { deleteSessionContract, getSessionContract, updateSessionContract } from "@/lib/api/contracts/sessions";
import { sessionJson } from "@/lib/api/json/sessions";
import { changeSession, getSession, removeSession } from "@/lib/sessions/sessions";

export const GET = route(getSessionContract, async ({ ctx, params }) => sessionJson(await getSession(ctx, params.id)));

export const PUT = route(updateSessionContract, async ({ ctx, params, body }) =>
  sessionJson(
    await changeSession(ctx, params.id, {
      name: body.name,
      source: body.source,
      importMode: body.import_mode,
      status: body.status,
    }),
  ),
);

export const DELETE = route(deleteSessionContract, async ({ ctx, params, log }) => {
  const session = await removeSession(ctx, params.id);
  log.info({ session_id: session.id }, "upload session deleted");
  return sessionJson(session);
});
