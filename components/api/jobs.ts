import type { z } from "zod";
import { apiFetch, queryString } from "@/components/api/request";
import type { StagingStatus } from "@/components/api/issues";
import type { revertJobContract } from "@/lib/api/contracts/files";
import type { JOB_ROW_SORTS, listJobRowsContract } from "@/lib/api/contracts/staging";
import type {
  createJobContract,
  createUploadContract,
  cancelJobContract,
  deleteJobContract,
  jobDetailSchema,
  jobSchema,
  listJobsContract,
  reprocessJobContract,
} from "@/lib/api/contracts/jobs";

// Types only: the contracts (and the database schema they use) never reach the browser bundle.
export type Job = z.output<typeof jobSchema>;
export type JobStatus = Job["status"];
export type ImportMode = Job["import_mode"];
export type JobList = z.output<(typeof listJobsContract)["response"]>;
export type UploadTicket = z.output<(typeof createUploadContract)["response"]>;
export type CreatedJob = z.output<(typeof createJobContract)["response"]>;
export type JobDetail = z.output<typeof jobDetailSchema>;
type Reprocessed = z.output<(typeof reprocessJobContract)["response"]>;
type Deleted = z.output<(typeof deleteJobContract)["response"]>;
type Cancelled = z.output<(typeof cancelJobContract)["response"]>;

export const JOBS_PAGE_SIZE = 25;

export function fetchJobs(
  { status, page, pageSize = JOBS_PAGE_SIZE }: { status: JobStatus | null; page: number; pageSize?: number },
  signal?: AbortSignal,
): Promise<JobList> {
  return apiFetch<JobList>(`/api/jobs${queryString({ status, page, page_size: pageSize })}`, { signal });
}

export function requestUpload(
  file: { name: string; size: number; type: string },
  signal?: AbortSignal,
): Promise<UploadTicket> {
  return apiFetch<UploadTicket>("/api/uploads", {
    method: "POST",
    json: { filename: file.name, size: file.size, content_type: file.type || "text/csv" },
    signal,
  });
}

export function registerJob(
  input: { key: string; filename: string; importMode: ImportMode },
  signal?: AbortSignal,
): Promise<CreatedJob> {
  return apiFetch<CreatedJob>("/api/jobs", {
    method: "POST",
    json: { key: input.key, filename: input.filename, import_mode: input.importMode },
    signal,
  });
}

export function reprocessJob(jobId: number): Promise<Reprocessed> {
  return apiFetch<Reprocessed>(`/api/jobs/${jobId}/reprocess`, { method: "POST" });
}

export function cancelJob(jobId: number): Promise<Cancelled> {
  return apiFetch<Cancelled>(`/api/jobs/${jobId}/cancel`, { method: "POST" });
}

export function deleteJob(jobId: number): Promise<Deleted> {
  return apiFetch<Deleted>(`/api/jobs/${jobId}`, { method: "DELETE" });
}

/** Every cached page of a company's job list (status filter and page are further key parts). */
export const jobsKey = (companyId: string) => ["jobs", companyId] as const;

export function fetchJob(jobId: number, signal?: AbortSignal): Promise<JobDetail> {
  return apiFetch<JobDetail>(`/api/jobs/${jobId}`, { signal });
}

export type JobRowsSort = (typeof JOB_ROW_SORTS)[number];
export type JobRowsQuery = {
  status: StagingStatus | null;
  q: string;
  sort: JobRowsSort;
  order: "asc" | "desc";
  page: number;
  pageSize: number;
};
export type JobRows = z.output<(typeof listJobRowsContract)["response"]>;

/** One page of a job's staged rows, sorted and filtered by the server. */
export function fetchJobRows(
  jobId: number,
  { status, q, sort, order, page, pageSize }: JobRowsQuery,
  signal?: AbortSignal,
): Promise<JobRows> {
  return apiFetch<JobRows>(
    `/api/jobs/${jobId}/rows${queryString({ status, q, sort, order, page, page_size: pageSize })}`,
    { signal },
  );
}

export type RevertResult = z.output<(typeof revertJobContract)["response"]>;

export function revertJob(jobId: number): Promise<RevertResult> {
  return apiFetch<RevertResult>(`/api/jobs/${jobId}/revert`, { method: "POST" });
}

/** The job's rows that had issues, in their original columns plus error_code and error_message. */
export function errorFileUrl(jobId: number): string {
  return `/api/jobs/${jobId}/errors.csv`;
}

/** One job's detail (a further key part under the company's jobs, so refreshing the list refreshes it too). */
export const jobKey = (companyId: string, jobId: number) => [...jobsKey(companyId), "detail", jobId] as const;
export const jobRowsKey = (companyId: string, jobId: number) => [...jobsKey(companyId), "rows", jobId] as const;
