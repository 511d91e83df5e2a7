import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { contactSchema } from "@/lib/api/contracts/contacts";
import { booleanQuery, idParam, pageQuery, updateBodyWithPrefixedAliases } from "@/lib/api/contracts/shared";
import { stagingRowSchema } from "@/lib/api/contracts/staging";
import { ISSUE_TYPES, STAGING_STATUSES } from "@/db/schema";
import { LIST_ROWS_PER_ISSUE, PREVIEW_ROWS } from "@/lib/review/limits";

export const issueSchema = z.object({
  issue_id: z.number().int(),
  issues_job_id: z.number().int(),
  job_filename: z.string(),
  issue_type: z.enum(ISSUE_TYPES),
  issue_subject: z.string().describe("The email (duplicates, conflicts) or the row number (invalid or missing email)"),
  issue_resolved: z.boolean(),
  issue_description: z.string().nullable(),
  issue_resolved_at: z.iso.datetime().nullable(),
  issue_resolved_by: z.string().nullable(),
  issue_resolution_comment: z.string().nullable(),
  issue_created_at: z.iso.datetime(),
  affected_row_count: z.number().int(),
  affected_rows: z.array(stagingRowSchema),
  existing_contact: contactSchema
    .nullable()
    .describe("CONTACT_CONFLICT only: the company's contact the rows conflict with"),
});

const countsByType = z.object(
  Object.fromEntries(ISSUE_TYPES.map((type) => [type, z.number().int()])) as Record<
    (typeof ISSUE_TYPES)[number],
    z.ZodNumber
  >,
);

export const issueListSchema = z.object({
  issues: z.array(issueSchema),
  total: z.number().int().describe("Issues matching every filter (for pagination)"),
  resolved_count: z.number().int().describe("Resolved issues matching the filters other than `resolved`"),
  unresolved_count: z.number().int().describe("Unresolved issues matching the filters other than `resolved`"),
  by_type: countsByType.describe(
    "Unresolved issues of each type, matching the filters other than `type` and `resolved`",
  ),
  page: z.number().int(),
  page_size: z.number().int(),
});

const listFilters = {
  type: z.enum(ISSUE_TYPES).optional(),
  resolved: booleanQuery.optional(),
  ...pageQuery,
};

const issueIdParams = z.object({ issue_id: idParam });
/** What an editor writes on an issue: its description or a resolution comment (null clears it). */
const editorText = z.string().trim().max(2000).nullable().optional();
const listedRows = `Each issue carries at most ${LIST_ROWS_PER_ISSUE} affected rows (affected_row_count says how many in all).`;

export const listIssuesContract = defineContract({
  method: "GET",
  path: "/api/issues",
  summary: "Every issue of the company's jobs, newest first, with affected rows and counts",
  description: listedRows,
  tags: ["issues"],
  auth: "required",
  query: z.object({
    job_id: idParam.optional().describe("Only this job's issues: 404 when it is not a job of the company"),
    ...listFilters,
  }),
  response: issueListSchema,
  errors: ["NOT_FOUND"],
});

export const listJobIssuesContract = defineContract({
  method: "GET",
  path: "/api/issues/job/{job_id}",
  summary: "The issues of one job, in the order they were found, with affected rows and counts",
  description: listedRows,
  tags: ["issues"],
  auth: "required",
  params: z.object({ job_id: idParam }),
  query: z.object(listFilters),
  response: issueListSchema,
  errors: ["NOT_FOUND"],
});

export const getIssueContract = defineContract({
  method: "GET",
  path: "/api/issues/{issue_id}",
  summary: "One issue with all its affected rows",
  tags: ["issues"],
  auth: "required",
  params: issueIdParams,
  response: issueSchema,
  errors: ["NOT_FOUND"],
});

export const updateIssueContract = defineContract({
  method: "PUT",
  path: "/api/issues/{issue_id}",
  summary: "Partial update of an issue: resolve or reopen it, reword it, comment on it",
  description:
    "Each field also goes by the earlier API's name (`issue_resolved`, `issue_description`, `issue_resolved_by`, " +
    "`issue_resolution_comment`). Resolving sets issue_resolved_at (if unset) and issue_resolved_by (the caller unless given) and skips the issue's " +
    "rows (they will not be imported; POST /api/issues/preview says which first). Reopening clears both and puts back " +
    "every row the resolution changed, as it was (ISSUE while an open issue claims it), whether the resolution skipped " +
    "rows or kept one. Changing `resolved` needs the job in NEEDS_REVIEW (else 409).",
  tags: ["issues"],
  auth: "required",
  group: "editor",
  params: issueIdParams,
  body: updateBodyWithPrefixedAliases(
    {
      resolved: z.boolean().optional(),
      description: editorText,
      resolved_by: z
        .string()
        .trim()
        .min(1)
        .max(320)
        .optional()
        .describe(
          "A member of the caller's company, by user id or email (any case), recorded as their email (their id if they have none); anyone else → 400",
        ),
      resolution_comment: editorText,
    },
    "issue_",
  ),
  response: issueSchema,
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const resolveIssuesContract = defineContract({
  method: "POST",
  path: "/api/issues/resolve",
  summary: "Resolve many issues at once, in one transaction",
  description:
    "Every id must be an issue of the company (else 404 naming the missing ids) whose job is NEEDS_REVIEW (else 409). " +
    "Resolving skips the issues' rows (they will not be imported; POST /api/issues/preview says which first). " +
    "`resolved` counts the issues this call resolved (ones already resolved are left as they were), `rows_skipped` the rows it skipped.",
  tags: ["issues"],
  auth: "required",
  group: "editor",
  body: z.strictObject({
    issue_ids: z.array(idParam).min(1).max(500),
    resolution_comment: editorText,
  }),
  response: z.object({ resolved: z.number().int(), rows_skipped: z.number().int(), issues: z.array(issueSchema) }),
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const keepIssueRowContract = defineContract({
  method: "POST",
  path: "/api/issues/{issue_id}/keep",
  summary: "Decide a duplicate or conflict in one step: keep one of its rows, or (a conflict) the existing contact",
  description:
    "`{staging_id}` (DUPLICATE_EMAIL or CONTACT_CONFLICT): that row becomes READY, the issue's other rows SKIPPED; for a " +
    "conflict the file's values then win. `{existing: true}` (CONTACT_CONFLICT only): every row of the issue becomes SKIPPED " +
    "and the company's contact stays as it is. Either way the issue is resolved, in one transaction; another issue type → 400. " +
    "Reopening the issue (PUT /api/issues/{issue_id} {resolved: false}) puts its rows back as they were.",
  tags: ["issues"],
  auth: "required",
  group: "editor",
  params: issueIdParams,
  body: z.discriminatedUnion("existing", [
    z.strictObject({
      existing: z.literal(false).optional(),
      staging_id: idParam.describe("The row to keep"),
      resolution_comment: editorText,
    }),
    z.strictObject({
      existing: z.literal(true).describe("Keep the company's existing contact: the issue's rows are all skipped"),
      resolution_comment: editorText,
    }),
  ]),
  response: issueSchema,
  errors: ["NOT_FOUND", "CONFLICT", "BAD_REQUEST"],
});

const stagingStatus = z.enum(STAGING_STATUSES);

export const resolutionPreviewSchema = z.object({
  action: z.enum(["skip", "keep_row", "keep_existing"]),
  issues_to_resolve: z.number().int().describe("Open issues the action resolves (resolved ones are left as they are)"),
  rows_to_skip: z.number().int().describe("Rows the action turns SKIPPED: they will not be imported"),
  rows_to_keep: z
    .number()
    .int()
    .describe("Rows the action turns READY: imported when the job finishes, unless an open issue still claims them"),
  rows_already_skipped: z.number().int().describe("Rows of the issues that are SKIPPED already and stay so"),
  rows: z
    .array(
      z.object({
        staging_id: z.number().int(),
        staging_job_id: z.number().int(),
        staging_row_number: z.number().int(),
        staging_status: stagingStatus.describe("The row's status now"),
        status_after: stagingStatus.describe("Its status once the action is done"),
      }),
    )
    .describe(
      `The rows whose status the action changes, in job and row order; at most ${PREVIEW_ROWS} (the counts cover them all)`,
    ),
});

export const previewResolutionContract = defineContract({
  method: "POST",
  path: "/api/issues/preview",
  summary: "What resolving issues would do to their rows, before doing it",
  description:
    "Changes nothing. `skip`: resolving the issues without keeping a row (PUT /api/issues/{issue_id} {resolved: true}, " +
    "POST /api/issues/resolve) — every row of the open ones is skipped. `keep_row` and `keep_existing`: POST " +
    "/api/issues/{issue_id}/keep. Computed by the rule the write follows, with the same checks and errors.",
  tags: ["issues"],
  auth: "required",
  body: z.discriminatedUnion("action", [
    z.strictObject({ action: z.literal("skip"), issue_ids: z.array(idParam).min(1).max(500) }),
    z.strictObject({
      action: z.literal("keep_row"),
      issue_id: idParam,
      staging_id: idParam.describe("The row to keep"),
    }),
    z.strictObject({ action: z.literal("keep_existing"), issue_id: idParam }),
  ]),
  response: resolutionPreviewSchema,
  errors: ["NOT_FOUND", "CONFLICT", "BAD_REQUEST"],
});
