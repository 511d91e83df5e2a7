import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { IMPORT_MODES, JOB_STATUSES } from "@/db/schema";
import { FILE_NAME_RULE } from "@/lib/csv/file-name";

const timestamp = z.iso.datetime().nullable();

/**
 * Any string passes here: checkFileName, the one rule of every upload path, answers in the handler,
 * where a refused registration can remove the file already stored.
 */
const fileNameField = z.string().describe(`The file's name: ${FILE_NAME_RULE}`);

export const jobIdParams = z.object({ job_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const jobSchema = z.object({
  job_id: z.number().int(),
  filename: z.string(),
  status: z.enum(JOB_STATUSES),
  import_mode: z.enum(IMPORT_MODES),
  size_bytes: z.number().int(),
  total_rows: z
    .number()
    .int()
    .nullable()
    .describe(
      "Records after the header, every one accounted for: staged_rows + malformed_rows + blank_rows; null until counted",
    ),
  staged_rows: z.number().int().describe("Well-formed records staged so far"),
  malformed_rows: z
    .number()
    .int()
    .describe(
      "Records whose quoting or field count is broken, staged as MALFORMED_ROW rows (raw text kept) for review",
    ),
  blank_rows: z.number().int().describe("Blank records (only delimiters and spaces) passed over"),
  processed_rows: z.number().int().describe("Records read so far, of every kind"),
  issue_count: z.number().int(),
  inserted_count: z.number().int(),
  updated_count: z.number().int(),
  skipped_count: z.number().int(),
  progress: z.number().min(0).max(100).describe("Percent of the file processed"),
  error: z.string().nullable(),
  cancel_requested_at: timestamp.describe(
    "When an editor asked the job to stop; a PROCESSING job with it set stops at its next step",
  ),
  created_at: z.iso.datetime(),
  started_at: timestamp,
  finished_at: timestamp,
  created_by: z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() }).nullable(),
});

export const jobDetailSchema = jobSchema.extend({
  sha256: z.string(),
  s3_key: z.string().describe("Where the file is stored (the key in the bucket or local store)"),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  header_mapping: z.record(z.string(), z.string()).nullable(),
  headers: z.array(z.string()).nullable(),
  events: z.array(
    z.object({ status: z.enum(JOB_STATUSES), message: z.string().nullable(), created_at: z.iso.datetime() }),
  ),
  issues_open: z.number().int().describe("Issues of the job not resolved yet"),
  issues_resolved: z.number().int(),
});

export const listJobsContract = defineContract({
  method: "GET",
  path: "/api/jobs",
  summary: "The company's jobs, newest first",
  tags: ["jobs"],
  auth: "required",
  query: z.object({
    status: z.enum(JOB_STATUSES).optional(),
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(100).default(25),
  }),
  response: z.object({
    jobs: z.array(jobSchema),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  }),
});

export const getJobContract = defineContract({
  method: "GET",
  path: "/api/jobs/{job_id}",
  summary: "One job: counts, progress, detected encoding, delimiter and header mapping, timeline",
  tags: ["jobs"],
  auth: "required",
  params: jobIdParams,
  response: jobDetailSchema,
  errors: ["NOT_FOUND"],
});

export const createUploadContract = defineContract({
  method: "POST",
  path: "/api/uploads",
  summary: "A short-lived URL to upload a file to, straight to storage",
  description:
    "PUT the file's bytes to upload_url with the given headers, then register it with POST /api/jobs. With `session_id` (a PENDING upload session of your company) the file belongs to that session instead: it is listed on the session as UPLOADING at once and checked when the session starts (POST /api/uploads/start), REFUSED if nothing was uploaded by then; attach it with POST /api/sessions/{id}/files to have it checked sooner. 404 for a session not yours, 409 once it has started.",
  tags: ["jobs"],
  auth: "required",
  group: "uploader",
  body: z.object({
    filename: fileNameField,
    size: z.number().int().min(0).describe("Bytes"),
    content_type: z.string().min(1).max(200).default("text/csv"),
    session_id: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("An upload session (PENDING) the file is for; the session runs it instead of POST /api/jobs"),
  }),
  response: z.object({
    upload_url: z.string(),
    method: z.literal("PUT"),
    headers: z.record(z.string(), z.string()),
    key: z.string(),
    expires_at: z.iso.datetime(),
    max_bytes: z.number().int(),
    session_id: z.number().int().optional().describe("Given back when the upload is for a session"),
    session_file_id: z.number().int().optional().describe("The file's id on the session (its files list)"),
  }),
  status: 201,
  errors: ["PAYLOAD_TOO_LARGE", "NOT_FOUND", "CONFLICT"],
});

const createdJob = z.object({
  job_id: z.number().int(),
  message: z.string(),
  filename: z.string(),
  total_rows: z
    .number()
    .int()
    .nullable()
    .describe(
      "The file's data rows (blank and malformed ones included), counted at once for a file sent in the request; null for a registered upload until processing has counted them",
    ),
  status: z.enum(JOB_STATUSES),
});

export const createJobContract = defineContract({
  method: "POST",
  path: "/api/jobs",
  summary: "Register an uploaded file as a job and queue it for processing",
  description:
    "The file's name and head are checked (name, extension, encoding, delimiter, required headers, at least one data row); a refused file is removed, whatever the reason. The same file already imported gives 409.",
  tags: ["jobs"],
  auth: "required",
  group: "uploader",
  body: z.object({
    key: z.string().min(1).max(1024),
    filename: fileNameField,
    import_mode: z.enum(IMPORT_MODES).default("upsert"),
  }),
  response: createdJob,
  status: 201,
  errors: ["CONFLICT", "NOT_FOUND", "PAYLOAD_TOO_LARGE", "SERVICE_UNAVAILABLE"],
});

export const directUploadContract = defineContract({
  method: "POST",
  path: "/api/jobs/upload",
  summary: "Upload a small file (up to 5 MB) in the request, as multipart/form-data field `file`",
  description: `Optional field \`import_mode\`: create, update or upsert (default). The file's name follows the rule of POST /api/uploads: ${FILE_NAME_RULE}.`,
  tags: ["jobs"],
  auth: "required",
  group: "uploader",
  form: z.object({
    file: z.file().describe("The CSV file; its name is the job's filename"),
    import_mode: z.enum(IMPORT_MODES).default("upsert"),
  }),
  response: createdJob,
  status: 201,
  errors: ["CONFLICT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "SERVICE_UNAVAILABLE"],
});

export const reprocessJobContract = defineContract({
  method: "POST",
  path: "/api/jobs/{job_id}/reprocess",
  summary: "Process a job's stored file again (its staging rows and issues are rebuilt)",
  tags: ["jobs"],
  auth: "required",
  group: "uploader",
  params: jobIdParams,
  response: z.object({ job_id: z.number().int(), message: z.string(), s3_key: z.string() }),
  errors: ["NOT_FOUND", "CONFLICT", "SERVICE_UNAVAILABLE"],
});

export const cancelJobContract = defineContract({
  method: "POST",
  path: "/api/jobs/{job_id}/cancel",
  summary: "Stop a PENDING or PROCESSING job; it becomes CANCELLED",
  description:
    "A PENDING job is CANCELLED at once. A PROCESSING job stops at its next step boundary (a staging chunk or an insert range is never left half written): the contacts it had landed are removed or restored, its rows marked IMPORTED are READY again, and it becomes CANCELLED. The answer waits a few seconds for that; `status` is PROCESSING (with `cancel_requested_at`) if the run has not reached its next step yet. A CANCELLED job can be reprocessed or deleted. 409 for a job in any other status.",
  tags: ["jobs"],
  auth: "required",
  group: "editor",
  params: jobIdParams,
  response: z.object({
    job_id: z.number().int(),
    status: z.enum(["CANCELLED", "PROCESSING"]),
    cancel_requested_at: timestamp,
    message: z.string(),
  }),
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const deleteJobContract = defineContract({
  method: "DELETE",
  path: "/api/jobs/{job_id}",
  summary: "Delete a PENDING, NEEDS_REVIEW, FAILED or CANCELLED job with its rows, issues and stored file",
  tags: ["jobs"],
  auth: "required",
  group: "editor",
  params: jobIdParams,
  response: z.object({ message: z.string(), job_id: z.number().int() }),
  errors: ["NOT_FOUND", "BAD_REQUEST"],
});
