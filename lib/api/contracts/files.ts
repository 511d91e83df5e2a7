import { z } from "zod";
import { defineContract } from "@/lib/api/contract";
import { jobIdParams } from "@/lib/api/contracts/jobs";
import { searchQuery } from "@/lib/api/contracts/shared";

// Sent as a text/csv attachment, not JSON: the handler returns the Response itself.
const csvFile = z
  .string()
  .describe("text/csv: UTF-8 with a byte-order mark, CRLF records, formula-like cells prefixed with '");

export const jobErrorsCsvContract = defineContract({
  method: "GET",
  path: "/api/jobs/{job_id}/errors.csv",
  summary:
    "The job's error file: the rows that had issues, in their original columns plus error_code and error_message",
  description:
    "Rows with any issue, resolved or not, in row order, under the file's own headers; a row with several issues has their codes and messages joined with '; '. Streamed as an attachment named '<file>-errors.csv'.",
  tags: ["jobs", "files"],
  auth: "required",
  params: jobIdParams,
  response: csvFile,
  errors: ["NOT_FOUND"],
});

export const contactsExportContract = defineContract({
  method: "GET",
  path: "/api/contacts/export.csv",
  summary: "The company's contacts as CSV (email order), optionally only those matching q",
  description:
    "Columns email, first_name, last_name, company, source_job_id, last_job_id, created_at, updated_at. q matches email, names and company (case-insensitive, anywhere in the text).",
  tags: ["contacts", "files"],
  auth: "required",
  query: z.object({ q: searchQuery }),
  response: csvFile,
});

export const revertJobContract = defineContract({
  method: "POST",
  path: "/api/jobs/{job_id}/revert",
  summary: "Undo a COMPLETED job's contact changes; the job becomes REVERTED",
  description:
    "In one transaction: contacts the job inserted are removed, contacts it updated get their previous values back, except contacts a later job changed since, which are left as they are and listed in `kept` (the first 100; `kept_count` counts them all). Staging rows and issues are kept.",
  tags: ["jobs"],
  auth: "required",
  group: "editor",
  params: jobIdParams,
  response: z.object({
    job_id: z.number().int(),
    status: z.literal("REVERTED"),
    removed: z.number().int().describe("Contacts the job inserted, removed"),
    restored: z.number().int().describe("Contacts the job updated, given their previous values back"),
    kept_count: z.number().int().describe("Contacts left as they are because a later job changed them"),
    kept: z.array(z.object({ contact_id: z.number().int(), contact_email: z.string(), reason: z.string() })).max(100),
  }),
  errors: ["NOT_FOUND", "CONFLICT"],
});
