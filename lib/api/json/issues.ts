import type { z } from "zod";
import type { IssueRecord } from "@/db/queries/issues";
import type { StagingRowView } from "@/db/queries/staging";
import type { issueSchema, resolutionPreviewSchema } from "@/lib/api/contracts/issues";
import type { stagingRowSchema } from "@/lib/api/contracts/staging";
import { toContactJson } from "@/lib/api/json/contacts";
import type { ResolutionPreview } from "@/lib/review/resolution";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toStagingRowJson(row: StagingRowView): z.input<typeof stagingRowSchema> {
  return {
    staging_id: row.id,
    staging_job_id: row.jobId,
    staging_row_number: row.rowNumber,
    staging_email: row.email,
    staging_first_name: row.firstName,
    staging_last_name: row.lastName,
    staging_company: row.company,
    staging_status: row.status,
    staging_row_check: row.rowCheck,
    staging_check_detail: row.checkDetail,
    staging_raw_text: row.rawText,
    staging_created_at: row.createdAt.toISOString(),
    staging_updated_at: row.updatedAt.toISOString(),
  };
}

export function toIssueJson(issue: IssueRecord): z.input<typeof issueSchema> {
  return {
    issue_id: issue.id,
    issues_job_id: issue.jobId,
    job_filename: issue.jobFileName,
    issue_type: issue.type,
    issue_subject: issue.subject,
    issue_resolved: issue.resolved,
    issue_description: issue.description,
    issue_resolved_at: iso(issue.resolvedAt),
    issue_resolved_by: issue.resolvedBy,
    issue_resolution_comment: issue.resolutionComment,
    issue_created_at: issue.createdAt.toISOString(),
    affected_row_count: issue.affectedRowCount,
    affected_rows: issue.affectedRows.map(toStagingRowJson),
    existing_contact: issue.existingContact ? toContactJson(issue.existingContact) : null,
  };
}

export function toResolutionPreviewJson(
  action: z.input<typeof resolutionPreviewSchema>["action"],
  preview: ResolutionPreview,
): z.input<typeof resolutionPreviewSchema> {
  return {
    action,
    issues_to_resolve: preview.issuesToResolve,
    rows_to_skip: preview.toSkip,
    rows_to_keep: preview.toKeep,
    rows_already_skipped: preview.alreadySkipped,
    rows: preview.changed.map((row) => ({
      staging_id: row.stagingId,
      staging_job_id: row.jobId,
      staging_row_number: row.rowNumber,
      staging_status: row.statusNow,
      status_after: row.statusAfter,
    })),
  };
}
