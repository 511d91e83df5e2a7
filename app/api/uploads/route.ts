import { publicOrigin } from "@/lib/api/origin";
import { route } from "@/lib/api/route";
import { createUploadContract } from "@/lib/api/contracts/jobs";
import { signUploadUrl, type UploadTicket } from "@/lib/ingest/upload-url";
import { signSessionUploadUrl } from "@/lib/sessions/run/upload-url";

const ticketJson = (ticket: UploadTicket) => ({
  upload_url: ticket.signed.url,
  method: "PUT" as const,
  headers: ticket.signed.headers,
  key: ticket.key,
  expires_at: ticket.signed.expiresAt.toISOString(),
  max_bytes: ticket.maxBytes,
});

export const POST = route(createUploadContract, async ({ ctx, body, request }) => {
  const upload = {
    companyId: ctx.companyId,
    fileName: body.filename,
    size: body.size,
    contentType: body.content_type,
    origin: publicOrigin(request),
  };
  if (body.session_id === undefined) return ticketJson(await signUploadUrl(upload));
  const { file, ...ticket } = await signSessionUploadUrl({ ...upload, sessionId: body.session_id });
  return { ...ticketJson(ticket), session_id: file.sessionId, session_file_id: file.id };
});
