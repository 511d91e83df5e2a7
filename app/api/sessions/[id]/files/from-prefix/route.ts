import { route } from "@/lib/api/route";
import { attachSessionPrefixContract } from "@/lib/api/contracts/session-files";
import { sessionFileJson } from "@/lib/api/json/session-files";
import { attachPrefix } from "@/lib/sessions/run/attach";

export const POST = route(attachSessionPrefixContract, async ({ ctx, params, body, log }) => {
  const { attached, ignored } = await attachPrefix({
    companyId: ctx.companyId,
    sessionId: params.id,
    prefix: body.prefix,
  });
  log.info({ session_id: params.id, attached: attached.length, ignored: ignored.length }, "prefix attached");
  return {
    attached_count: attached.length,
    ignored_count: ignored.length,
    attached: attached.map((file) => sessionFileJson({ ...file, job: null })),
    ignored,
  };
});
