import { route } from "@/lib/api/route";
import { uploadStatusContract } from "@/lib/api/contracts/session-files";
import { sessionJson } from "@/lib/api/json/sessions";
import { DomainError } from "@/lib/errors";
import { sessionIdOfRun, sessionProgress } from "@/lib/sessions/run/run";
import { getSession } from "@/lib/sessions/sessions";
import { sessionStatusName } from "@/lib/sessions/status";

export const GET = route(uploadStatusContract, async ({ ctx, params }) => {
  const sessionId = sessionIdOfRun(params.job_id);
  if (sessionId === null) {
    throw new DomainError("NOT_FOUND", `No upload run ${params.job_id}; runs are named session-<session id>`);
  }
  const session = await getSession(ctx, sessionId);
  return {
    job_id: params.job_id,
    session_id: session.id,
    status: sessionStatusName(session.status),
    progress: sessionProgress(session),
    session: sessionJson(session),
  };
});
