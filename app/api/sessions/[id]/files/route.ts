import { route } from "@/lib/api/route";
import { attachSessionFileContract, listSessionFilesContract } from "@/lib/api/contracts/session-files";
import { sessionFileJson } from "@/lib/api/json/session-files";
import { attachStoredFile, sessionFiles } from "@/lib/sessions/run/attach";

export const GET = route(listSessionFilesContract, async ({ ctx, params }) => ({
  session_id: params.id,
  files: (await sessionFiles({ companyId: ctx.companyId, sessionId: params.id })).map(sessionFileJson),
}));

export const POST = route(attachSessionFileContract, async ({ ctx, params, body, log }) => {
  const file = await attachStoredFile({
    companyId: ctx.companyId,
    sessionId: params.id,
    key: body.key,
    fileName: body.filename,
  });
  log.info({ session_id: params.id, file_id: file.id, status: file.status }, "file attached to a session");
  return sessionFileJson({ ...file, job: null });
});
