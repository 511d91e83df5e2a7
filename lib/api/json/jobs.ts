import type { z } from "zod";
import type { JobEvent } from "@/db/schema";
import type { JobWithCreator } from "@/db/queries/jobs";
import type { jobDetailSchema, jobSchema } from "@/lib/api/contracts/jobs";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function jobProgress(job: Pick<JobWithCreator, "status" | "processedBytes" | "sizeBytes">): number {
  if (job.status === "PENDING") return 0;
  if (job.status === "PROCESSING") {
    return job.sizeBytes > 0 ? Math.min(99, Math.floor((job.processedBytes / job.sizeBytes) * 100)) : 0;
  }
  return 100;
}

export function toJobJson(job: JobWithCreator): z.input<typeof jobSchema> {
  return {
    job_id: job.id,
    filename: job.fileName,
    status: job.status,
    import_mode: job.importMode,
    size_bytes: job.sizeBytes,
    total_rows: job.totalRows,
    staged_rows: job.stagedRows,
    malformed_rows: job.malformedRows,
    blank_rows: job.blankRows,
    processed_rows: job.processedRows,
    issue_count: job.issueCount,
    inserted_count: job.insertedCount,
    updated_count: job.updatedCount,
    skipped_count: job.skippedCount,
    progress: jobProgress(job),
    error: job.error,
    cancel_requested_at: iso(job.cancelRequestedAt),
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    created_by: job.creator,
  };
}

/** The answer to a registered upload (both the presigned and the direct path). */
export function createdJobJson(job: Pick<JobWithCreator, "id" | "fileName" | "totalRows" | "status">) {
  return {
    job_id: job.id,
    message: `File '${job.fileName}' uploaded successfully and queued for processing`,
    filename: job.fileName,
    total_rows: job.totalRows,
    status: job.status,
  };
}

export function toJobDetailJson(
  job: JobWithCreator,
  events: JobEvent[],
  issueCounts: { open: number; resolved: number },
): z.input<typeof jobDetailSchema> {
  return {
    ...toJobJson(job),
    sha256: job.sha256,
    s3_key: job.storageKey,
    encoding: job.encoding,
    delimiter: job.delimiter,
    header_mapping: job.headerMapping,
    headers: job.layout?.headers ?? null,
    events: events.map((event) => ({
      status: event.status,
      message: event.message,
      created_at: event.createdAt.toISOString(),
    })),
    issues_open: issueCounts.open,
    issues_resolved: issueCounts.resolved,
  };
}
