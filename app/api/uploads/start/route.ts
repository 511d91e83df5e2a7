import { route } from "@/lib/api/route";
import { startUploadContract } from "@/lib/api/contracts/session-files";
import { sessionRunId, startSession } from "@/lib/sessions/run/run";
import { sessionStatusName } from "@/lib/sessions/status";

export const POST = route(startUploadContract, async ({ ctx, body, log }) => {
  const session = await startSession({ companyId: ctx.companyId, sessionId: body.session_id });
  log.info({ session_id: session.id }, "upload session started");
  return { job_id: sessionRunId(session.id), session_id: session.id, status: sessionStatusName(session.status) };
});
