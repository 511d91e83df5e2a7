import { ApiError } from "@/lib/api/errors";
import { publicOrigin } from "@/lib/api/origin";
import { route } from "@/lib/api/route";
import { createUploadContract } from "@/lib/api/contracts/jobs";
import { env } from "@/lib/env";
import { checkFileName, CsvRuleError } from "@/lib/csv";
import { refusal } from "@/lib/ingest/register";
import { getStorage, uploadKey } from "@/lib/storage";

export const POST = route(createUploadContract, async ({ ctx, body, request }) => {
  try {
    checkFileName(body.filename);
  } catch (error) {
    if (error instanceof CsvRuleError) throw refusal(error);
    throw error;
  }
  const maxBytes = env().MAX_UPLOAD_BYTES;
  if (body.size > maxBytes) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `${body.filename} is ${body.size} bytes; the limit is ${maxBytes} bytes`, {
      size: body.size,
      limit: maxBytes,
    });
  }
  if (body.size === 0) throw new ApiError("VALIDATION_ERROR", `${body.filename} is empty`, { rule: "EMPTY_FILE" });
  const key = uploadKey({ companyId: ctx.companyId, fileName: body.filename });
  const signed = await getStorage().signUpload({
    key,
    contentType: body.content_type,
    size: body.size,
    expiresInSeconds: env().UPLOAD_URL_TTL_SECONDS,
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
