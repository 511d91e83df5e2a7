import { route } from "@/lib/api/route";
import { cancelSessionContract } from "@/lib/api/contracts/session-files";
import { cancelSession } from "@/lib/sessions/run/run";
import { sessionStatusName } from "@/lib/sessions/status";

export const POST = route(cancelSessionContract, async ({ ctx, params }) => {
  const { session, cancelledFiles } = await cancelSession({ companyId: ctx.companyId, sessionId: params.id });
  return {
    session_id: session.id,
    status: sessionStatusName(session.status),
    cancelled_files: cancelledFiles,
    message:
      session.status === "CANCELLED"
        ? `Session ${session.id} is cancelled`
        : `Session ${session.id} stops once its running files end; ${cancelledFiles} files not started were cancelled`,
  };
});
