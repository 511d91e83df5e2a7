import type { z } from "zod";
import type {
  createJobContract,
  createUploadContract,
  deleteJobContract,
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
type Reprocessed = z.output<(typeof reprocessJobContract)["response"]>;
type Deleted = z.output<(typeof deleteJobContract)["response"]>;

/** A refusal from the API, carrying the error envelope's fields; `message` is the server's own words. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown> | null;
  readonly requestId: string | null;

  constructor(input: { status: number; code: string; message: string; details?: unknown; requestId?: string | null }) {
    super(input.message);
    this.name = "ApiRequestError";
    this.status = input.status;
    this.code = input.code;
    this.details = isRecord(input.details) ? input.details : null;
    this.requestId = input.requestId ?? null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Your session has ended; sign in again";
  if (status === 403) return "You are not allowed to do that";
  if (status === 413) return "The file is too large";
  if (status === 429) return "Too many requests; wait a moment and try again";
  if (status >= 500) return `The server could not do that (HTTP ${status}); try again later`;
  return `The request was refused (HTTP ${status})`;
}

/** Turns a failed response's body (the JSON error envelope, or anything else) into an ApiRequestError. */
export function errorFromBody(status: number, bodyText: string, requestId: string | null = null): ApiRequestError {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    // Not JSON (a proxy's HTML page, S3's XML): the status says enough.
  }
  const envelope = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : null;
  if (envelope && typeof envelope.message === "string" && envelope.message) {
    return new ApiRequestError({
      status,
      code: typeof envelope.code === "string" ? envelope.code : "ERROR",
      message: envelope.message,
      details: envelope.details,
      requestId: typeof envelope.request_id === "string" ? envelope.request_id : requestId,
    });
  }
  return new ApiRequestError({ status, code: "HTTP_" + status, message: fallbackMessage(status), requestId });
}

async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: "same-origin",
      ...rest,
      headers: { Accept: "application/json", ...(json === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiRequestError({ status: 0, code: "NETWORK_ERROR", message: "The server could not be reached; check your connection" });
  }
  if (!response.ok) throw errorFromBody(response.status, await response.text(), response.headers.get("x-request-id"));
  return (await response.json()) as T;
}

export const JOBS_PAGE_SIZE = 25;

export function fetchJobs({ status, page }: { status: JobStatus | null; page: number }, signal?: AbortSignal): Promise<JobList> {
  const query = new URLSearchParams({ page: String(page), page_size: String(JOBS_PAGE_SIZE) });
  if (status) query.set("status", status);
  return apiFetch<JobList>(`/api/jobs?${query.toString()}`, { signal });
}

export function requestUpload(file: { name: string; size: number; type: string }, signal?: AbortSignal): Promise<UploadTicket> {
  return apiFetch<UploadTicket>("/api/uploads", {
    method: "POST",
    json: { filename: file.name, size: file.size, content_type: file.type || "text/csv" },
    signal,
  });
}

export function registerJob(input: { key: string; filename: string; importMode: ImportMode }, signal?: AbortSignal): Promise<CreatedJob> {
  return apiFetch<CreatedJob>("/api/jobs", {
    method: "POST",
    json: { key: input.key, filename: input.filename, import_mode: input.importMode },
    signal,
  });
}

export function reprocessJob(jobId: number): Promise<Reprocessed> {
  return apiFetch<Reprocessed>(`/api/jobs/${jobId}/reprocess`, { method: "POST" });
}

export function deleteJob(jobId: number): Promise<Deleted> {
  return apiFetch<Deleted>(`/api/jobs/${jobId}`, { method: "DELETE" });
}

/** Every cached page of a company's job list (status filter and page are further key parts). */
export const jobsKey = (companyId: string) => ["jobs", companyId] as const;
