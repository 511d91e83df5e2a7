import { route } from "@/lib/api/route";
import { retrySessionContract } from "@/lib/api/contracts/session-files";
import { retrySession, sessionRunId } from "@/lib/sessions/run/run";
import { sessionStatusName } from "@/lib/sessions/status";

export const POST = route(retrySessionContract, async ({ ctx, params }) => {
  const { session, retriedFiles } = await retrySession({
    companyId: ctx.companyId,
    sessionId: params.id,
    actorUserId: ctx.user?.id ?? null,
  });
  return {
    job_id: sessionRunId(session.id),
    session_id: session.id,
    status: sessionStatusName(session.status),
    retried_files: retriedFiles,
  };
});
