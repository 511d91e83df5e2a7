import { z } from "zod";
import { JOB_STATUSES, SESSION_FILE_STATUSES } from "@/db/schema";
import { defineContract } from "@/lib/api/contract";
import { idParam } from "@/lib/api/contracts/shared";
import { sessionSchema } from "@/lib/api/contracts/sessions";
import { SESSION_STATUSES } from "@/lib/sessions/status";

const timestamp = z.iso.datetime().nullable();
const sessionIdParams = z.object({ id: idParam });

export const sessionFileSchema = z.object({
  id: z.number().int(),
  session_id: z.number().int(),
  key: z.string().describe("Where the file is stored"),
  filename: z.string(),
  size_bytes: z.number().int().nullable(),
  status: z
    .enum(SESSION_FILE_STATUSES)
    .describe(
      "UPLOADING from POST /api/uploads with session_id until the session starts (checked then, REFUSED when nothing was uploaded), ATTACHED until the session runs it, RUNNING as a job, then COMPLETED, NEEDS_REVIEW, FAILED or CANCELLED; REFUSED (with the reason) when it cannot be imported",
    ),
  reason: z.string().nullable().describe("Why the file was refused, failed or cancelled"),
  job_id: z.number().int().nullable().describe("The file's job, once the session has started it"),
  job: z
    .object({
      status: z.enum(JOB_STATUSES),
      staged_rows: z.number().int(),
      rows_with_issues: z.number().int(),
      issue_count: z.number().int(),
      landed_rows: z.number().int().describe("Contacts inserted or updated"),
    })
    .nullable(),
  created_at: z.iso.datetime(),
  started_at: timestamp,
  finished_at: timestamp,
});

const fileName = z.string().min(1).max(255).describe("The file's name (its extension says how to read it)");

export const attachSessionFileContract = defineContract({
  method: "POST",
  path: "/api/sessions/{id}/files",
  summary: "Attach an uploaded file (from POST /api/uploads) to a pending session",
  description:
    "The file is checked as any upload (name, size, head: encoding, delimiter, an email column, data rows; a file imported before). A file that fails a check is still attached, as REFUSED with its reason, and counted in the session's refused files. Attached files run when the session starts. 404 for a key with nothing of your company uploaded; 409 when the session has started or the key is attached already.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  params: sessionIdParams,
  body: z.object({ key: z.string().min(1).max(1024), filename: fileName }),
  response: sessionFileSchema,
  status: 201,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const listSessionFilesContract = defineContract({
  method: "GET",
  path: "/api/sessions/{id}/files",
  summary: "A session's files in the order they were attached, each with its status, reason, job and the job's counts",
  tags: ["sessions"],
  auth: "required",
  params: sessionIdParams,
  response: z.object({ session_id: z.number().int(), files: z.array(sessionFileSchema) }),
  errors: ["NOT_FOUND"],
});

export const attachSessionPrefixContract = defineContract({
  method: "POST",
  path: "/api/sessions/{id}/files/from-prefix",
  summary: "Attach every .csv, .tsv and .txt object under a prefix of your company's uploads (S3 storage only)",
  description:
    "The prefix must start with `uploads/<company id>/`. Each matching object is attached as by POST /api/sessions/{id}/files (checked, REFUSED with its reason when it fails); other objects, and objects attached already, are listed as ignored. 409 when the server stores files locally or the session has started.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  params: sessionIdParams,
  body: z.object({ prefix: z.string().min(1).max(1024) }),
  response: z.object({
    attached_count: z.number().int(),
    ignored_count: z.number().int(),
    attached: z.array(sessionFileSchema),
    ignored: z.array(z.string()).describe("Keys not attached: other extensions, or attached already"),
  }),
  status: 201,
  errors: ["NOT_FOUND", "CONFLICT", "VALIDATION_ERROR"],
});

const sessionRun = z.object({
  job_id: z
    .string()
    .describe(
      "The session's background run, `session-<session id>`: read its progress at GET /api/uploads/status/{job_id}",
    ),
  session_id: z.number().int(),
  status: z.enum(SESSION_STATUSES),
});

export const startUploadContract = defineContract({
  method: "POST",
  path: "/api/uploads/start",
  summary: "Start a pending session: its attached files run as jobs in the background",
  description:
    "At most SESSION_CONCURRENCY files run at once; the session's counters follow each file. 404 for a session not of your company; 409 for one already started or with no files; 503 when it cannot be queued.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  body: z.object({ session_id: idParam }),
  response: sessionRun,
  status: 202,
  errors: ["NOT_FOUND", "CONFLICT", "SERVICE_UNAVAILABLE"],
});

export const uploadStatusContract = defineContract({
  method: "GET",
  path: "/api/uploads/status/{job_id}",
  summary: "A session run's progress (job_id as POST /api/uploads/start answered it)",
  tags: ["sessions"],
  auth: "required",
  params: z.object({ job_id: z.string().min(1).max(40) }),
  response: sessionRun.extend({
    progress: z.number().min(0).max(100).describe("Percent of the session's files that have ended"),
    session: sessionSchema,
  }),
  errors: ["NOT_FOUND"],
});

export const cancelSessionContract = defineContract({
  method: "POST",
  path: "/api/sessions/{id}/cancel",
  summary: "Stop a session: files not started yet are CANCELLED; files already running finish",
  description:
    "A pending session is cancelled at once; a running one ends CANCELLED once its running files end. 409 for a session that has ended.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  params: sessionIdParams,
  response: z.object({
    session_id: z.number().int(),
    status: z.enum(SESSION_STATUSES),
    cancelled_files: z.number().int().describe("Files that had not started, now CANCELLED"),
    message: z.string(),
  }),
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const retrySessionContract = defineContract({
  method: "POST",
  path: "/api/sessions/{id}/retry",
  summary: "Run an ended session's FAILED files again",
  description:
    "Each failed file is attached again (its job, if it had one, is reset and reprocessed) and the session runs again. 409 while the session is pending or running, or when no file failed.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  params: sessionIdParams,
  response: sessionRun.extend({ retried_files: z.number().int() }),
  status: 202,
  errors: ["NOT_FOUND", "CONFLICT", "SERVICE_UNAVAILABLE"],
});
