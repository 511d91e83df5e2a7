import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { idParam, pageQuery, searchQuery, updateBodyWithPrefixedAliases } from "@/lib/api/contracts/shared";
import { ISSUE_TYPES, ROW_CHECKS, STAGING_STATUSES } from "@/db/schema";

export const stagingRowSchema = z.object({
  staging_id: z.number().int(),
  staging_job_id: z.number().int(),
  staging_row_number: z
    .number()
    .int()
    .describe("Position of the record in the file, the header being row 1 (a record spanning lines counts once)"),
  staging_email: z.string().nullable(),
  staging_first_name: z.string().nullable(),
  staging_last_name: z.string().nullable(),
  staging_company: z.string().nullable(),
  staging_status: z.enum(STAGING_STATUSES),
  staging_row_check: z
    .enum(ROW_CHECKS)
    .describe(
      "What checking the row found: OK, or its one problem, the first of MALFORMED_ROW, MISSING_EMAIL, INVALID_EMAIL, VALUE_TOO_LONG",
    ),
  staging_check_detail: z
    .string()
    .nullable()
    .describe(
      "The check's problem in words when its name does not say it all, e.g. 'Lines 5–7: a quoted field is never closed'",
    ),
  staging_raw_text: z
    .string()
    .nullable()
    .describe(
      "A malformed record's text exactly as read (its first 10,000 characters), kept after edits; null for any other row",
    ),
  staging_created_at: z.iso.datetime(),
  staging_updated_at: z.iso.datetime(),
});

/** A contact field as an editor sends it: blank (or null) clears it. */
const editedField = z.string().max(1000).nullable().optional();

export const updateStagingContract = defineContract({
  method: "PUT",
  path: "/api/staging/{staging_id}",
  summary: "Edit a staged row of a job in review; the row is checked again",
  description:
    "Partial update; each field also goes by the earlier API's name (`staging_email`, `staging_first_name`, " +
    "`staging_last_name`, `staging_company`, `staging_status`). The edited values are normalised and checked as at ingestion: fixing a row's problem (a malformed " +
    "record, a missing or invalid email, a value over 255 characters) takes the row out of that issue (resolved once no " +
    "row is left in it) and raises its next problem, if any; editing a malformed row's fields rebuilds it (its raw text " +
    "stays); an edit that makes the email a duplicate " +
    "within the job, or a conflict with an existing contact, raises (or joins and reopens) that issue. The row's status " +
    "becomes SKIPPED when asked for, else ISSUE while an open issue claims it, else READY. 409 unless the job is NEEDS_REVIEW.",
  tags: ["staging"],
  auth: "required",
  group: "editor",
  params: z.object({ staging_id: idParam }),
  body: updateBodyWithPrefixedAliases(
    {
      email: editedField,
      first_name: editedField,
      last_name: editedField,
      company: editedField,
      status: z.enum(["READY", "SKIPPED"]).optional(),
    },
    "staging_",
  ),
  response: stagingRowSchema.extend({
    open_issues: z
      .array(z.object({ issue_id: z.number().int(), issue_type: z.enum(ISSUE_TYPES) }))
      .describe("The unresolved issues that claim the row after the edit"),
  }),
  errors: ["NOT_FOUND", "CONFLICT"],
});

export const JOB_ROW_SORTS = ["row_number", "email", "first_name", "last_name", "company"] as const;

export const listJobRowsContract = defineContract({
  method: "GET",
  path: "/api/jobs/{job_id}/rows",
  summary: "A job's staged rows, a page at a time: filter by status, search the contact fields, sort",
  tags: ["staging"],
  auth: "required",
  params: z.object({ job_id: idParam }),
  query: z.object({
    status: z.enum(STAGING_STATUSES).optional(),
    q: searchQuery.describe("Text found in the email, names or company (case-insensitive)"),
    sort: z.enum(JOB_ROW_SORTS).default("row_number"),
    order: z.enum(["asc", "desc"]).default("asc"),
    ...pageQuery,
  }),
  response: z.object({
    rows: z.array(stagingRowSchema),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  }),
  errors: ["NOT_FOUND"],
});
