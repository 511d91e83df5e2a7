import { z } from "zod";
import { IMPORT_MODES } from "@/db/schema";
import { defineContract } from "@/lib/api/contract";
import { idParam, pageQuery } from "@/lib/api/contracts/shared";
import { SESSION_STATUSES } from "@/lib/sessions/status";

const count = z.number().int();
const timestamp = z.iso.datetime().nullable();

const fileCounts = z
  .object({
    total: count.describe("Files attached"),
    completed: count,
    needs_review: count,
    refused: count.describe("Refused before a job was made (not a CSV, no email column…)"),
    failed: count,
    cancelled: count,
  })
  .describe("Each attached file ends in exactly one of the other counters");

export const sessionSchema = z.object({
  id: z.number().int(),
  project_id: z.number().int(),
  cycle_id: z.number().int(),
  name: z.string(),
  source: z.string().nullable().describe("Where the files come from, in the creator's words"),
  source_prefix: z.string().nullable().describe("The S3 prefix the files were attached from, if they were"),
  import_mode: z.enum(IMPORT_MODES),
  status: z.enum(SESSION_STATUSES),
  files: fileCounts,
  rows_staged: count,
  rows_landed: count,
  rows_with_issues: count,
  bytes: count,
  failure_reason: z.string().nullable(),
  cancel_requested_at: timestamp,
  created_at: z.iso.datetime(),
  started_at: timestamp,
  finished_at: timestamp,
  duration_seconds: z.number().nullable().describe("From start to finish; so far, while in progress"),
});

export const sessionStatsSchema = z.object({
  sessions: z.object({ total: count, ...Object.fromEntries(SESSION_STATUSES.map((name) => [name, count])) }),
  files: fileCounts,
  rows_staged: count,
  rows_landed: count,
  rows_with_issues: count,
  bytes: count,
  average_duration_seconds: z.number().nullable().describe("Over finished sessions; null when there is none"),
});

const sessionParams = z.object({ id: idParam });
const name = z.string().trim().min(1, "must not be empty").max(200);
const source = z.string().trim().max(1000).nullable();
const scopeQuery = {
  project_id: idParam.optional().describe("Only this project's sessions (404 when the company has no such project)"),
  cycle_id: idParam.optional().describe("Only this cycle's sessions (404 when the company has no such cycle)"),
};

export const listSessionsContract = defineContract({
  method: "GET",
  path: "/api/sessions",
  summary: "The company's upload sessions, newest first",
  tags: ["sessions"],
  auth: "required",
  query: z.object({ ...scopeQuery, status: z.enum(SESSION_STATUSES).optional(), ...pageQuery }),
  response: z.object({
    sessions: z.array(sessionSchema),
    total: count,
    page: count,
    page_size: count,
  }),
  errors: ["NOT_FOUND"],
});

export const sessionStatsContract = defineContract({
  method: "GET",
  path: "/api/sessions/stats",
  summary: "The company's upload sessions counted by status, with their files, rows, bytes and average duration",
  tags: ["sessions"],
  auth: "required",
  query: z.object(scopeQuery),
  response: sessionStatsSchema,
  errors: ["NOT_FOUND"],
});

export const getSessionContract = defineContract({
  method: "GET",
  path: "/api/sessions/{id}",
  summary: "One upload session with its live counters",
  tags: ["sessions"],
  auth: "required",
  params: sessionParams,
  response: sessionSchema,
  errors: ["NOT_FOUND"],
});

export const createSessionContract = defineContract({
  method: "POST",
  path: "/api/sessions",
  summary: "Creates a pending upload session in a cycle",
  description:
    "Attach files to it, then start it with POST /api/uploads/start. 404 when the company has no such cycle.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  body: z.strictObject({
    cycle_id: idParam,
    name,
    source: source.optional(),
    import_mode: z.enum(IMPORT_MODES).default("upsert"),
  }),
  response: sessionSchema,
  status: 201,
  errors: ["NOT_FOUND"],
});

export const updateSessionContract = defineContract({
  method: "PUT",
  path: "/api/sessions/{id}",
  summary: "Changes a session's name, source or import mode",
  description:
    "The import mode changes only while the session is pending (409 after). `status` is accepted only as the " +
    "current one (400 otherwise): a session moves by POST /api/uploads/start and POST /api/sessions/{id}/cancel.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  params: sessionParams,
  body: z
    .strictObject({
      name: name.optional(),
      source: source.optional(),
      import_mode: z.enum(IMPORT_MODES).optional(),
      status: z.enum(SESSION_STATUSES).optional(),
    })
    .refine((body) => Object.values(body).some((value) => value !== undefined), {
      message: "Send at least one of name, source, import_mode",
    }),
  response: sessionSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const deleteSessionContract = defineContract({
  method: "DELETE",
  path: "/api/sessions/{id}",
  summary: "Deletes an upload session and its list of files; the jobs it made stay",
  description: "409 while it is in progress: cancel it first.",
  tags: ["sessions"],
  auth: "required",
  group: "uploader",
  params: sessionParams,
  response: sessionSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});
