import type { z } from "zod";
import type { SessionFileWithJob } from "@/db/queries/session-files";
import type { sessionFileSchema } from "@/lib/api/contracts/session-files";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function sessionFileJson(file: SessionFileWithJob): z.input<typeof sessionFileSchema> {
  return {
    id: file.id,
    session_id: file.sessionId,
    key: file.storageKey,
    filename: file.fileName,
    size_bytes: file.sizeBytes,
    status: file.status,
    reason: file.reason,
    job_id: file.jobId,
    job: file.job
      ? {
          status: file.job.status,
          staged_rows: file.job.stagedRows,
          rows_with_issues: file.job.rowsWithIssues,
          issue_count: file.job.issueCount,
          landed_rows: file.job.insertedCount + file.job.updatedCount,
        }
      : null,
    created_at: file.createdAt.toISOString(),
    started_at: iso(file.startedAt),
    finished_at: iso(file.finishedAt),
  };
}
