import { publicOrigin } from "@/lib/api/origin";
import { route } from "@/lib/api/route";
import { createUploadContract } from "@/lib/api/contracts/jobs";
import { signUploadUrl } from "@/lib/ingest/upload-url";

export const POST = route(createUploadContract, async ({ ctx, body, request }) => {
  const { key, signed, maxBytes } = await signUploadUrl({
    companyId: ctx.companyId,
    fileName: body.filename,
    size: body.size,
    contentType: body.content_type,
    origin: publicOrigin(request),
  });
  return {
    upload_url: signed.url,
    method: "PUT" as const,
    headers: signed.headers,
    key,
    expires_at: signed.expiresAt.toISOString(),
    max_bytes: maxBytes,
  };
});
