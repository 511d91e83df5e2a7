import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { directUploadContract } from "@/lib/api/contracts/jobs";
import { createdJobJson } from "@/lib/api/json/jobs";
import { DIRECT_UPLOAD_MAX_BYTES, registerDirectUpload } from "@/lib/ingest/register";

// The form's other fields and boundaries take a little room besides the file itself.
const MAX_REQUEST_BYTES = DIRECT_UPLOAD_MAX_BYTES + 64 * 1024;

export const POST = route(directUploadContract, async ({ ctx, request, log }) => {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the file as multipart/form-data in a field named 'file'");
  }
  const length = Number(request.headers.get("content-length") ?? "NaN");
  if (!Number.isFinite(length)) throw new ApiError("VALIDATION_ERROR", "The request needs a Content-Length header");
  if (length > MAX_REQUEST_BYTES) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `Files sent in the request may be up to 5 MB; use POST /api/uploads for larger files`,
      {
        limit: DIRECT_UPLOAD_MAX_BYTES,
      },
    );
  }
  const form = await request.formData().catch(() => {
    throw new ApiError("VALIDATION_ERROR", "The multipart body could not be read");
  });
  const file = form.get("file");
  if (!(file instanceof File))
    throw new ApiError("VALIDATION_ERROR", "No file in the form field 'file'", { field: "file" });
  const mode = directUploadContract.form.shape.import_mode.safeParse(form.get("import_mode") ?? undefined);
  if (!mode.success) throw ApiError.validation("body.import_mode", mode.error);

  const job = await registerDirectUpload({
    ctx,
    fileName: file.name,
    bytes: Buffer.from(await file.arrayBuffer()),
    contentType: file.type || "text/csv",
    importMode: mode.data,
  });
  log.info({ job_id: job.id, size: job.sizeBytes }, "job registered from a direct upload");
  return createdJobJson(job);
});
