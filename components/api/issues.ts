import type { z } from "zod";
import { apiFetch, queryString } from "@/components/api/request";
import type {
  issueListSchema,
  issueSchema,
  previewResolutionContract,
  resolutionPreviewSchema,
  resolveIssuesContract,
} from "@/lib/api/contracts/issues";
import type { stagingRowSchema, updateStagingContract } from "@/lib/api/contracts/staging";

// Types only: the contracts (and the database schema they use) never reach the browser bundle.
export type StagingRow = z.output<typeof stagingRowSchema>;
export type StagingStatus = StagingRow["staging_status"];
export type RowCheck = StagingRow["staging_row_check"];
export type Issue = z.output<typeof issueSchema>;
export type IssueType = Issue["issue_type"];
export type IssueList = z.output<typeof issueListSchema>;
export type SavedStagingRow = z.output<(typeof updateStagingContract)["response"]>;
export type ResolvedIssues = z.output<(typeof resolveIssuesContract)["response"]>;
export type ResolutionPreview = z.output<typeof resolutionPreviewSchema>;
/** What a preview is asked about: resolving issues without keeping a row (`skip`), or keeping a row or the existing contact. */
export type ResolutionRequest = z.input<(typeof previewResolutionContract)["body"]>;

/** What a list of issues is narrowed to: null means "any". */
export type IssueFilters = { type: IssueType | null; resolved: boolean | null; page: number; pageSize: number };

/** The editable fields of a staging row, as the staging endpoint names them. */
export type StagingField = "email" | "first_name" | "last_name" | "company";
export type StagingPatch = Partial<Record<StagingField, string>> & { status?: "READY" | "SKIPPED" };

function filterQuery({ type, resolved, page, pageSize }: IssueFilters) {
  return { type, resolved, page, page_size: pageSize };
}

/** The issue queue across the company's jobs, newest first. */
export function fetchIssues(
  filters: IssueFilters & { jobId: number | null },
  signal?: AbortSignal,
): Promise<IssueList> {
  return apiFetch<IssueList>(`/api/issues${queryString({ job_id: filters.jobId, ...filterQuery(filters) })}`, {
    signal,
  });
}

/** One job's issues, in the order they were found. */
export function fetchJobIssues(jobId: number, filters: IssueFilters, signal?: AbortSignal): Promise<IssueList> {
  return apiFetch<IssueList>(`/api/issues/job/${jobId}${queryString(filterQuery(filters))}`, { signal });
}

/** One issue with every one of its rows (lists carry at most 20). */
export function fetchIssue(issueId: number, signal?: AbortSignal): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}`, { signal });
}

export function updateIssue(
  issueId: number,
  change: { resolved?: boolean; resolution_comment?: string },
): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}`, { method: "PUT", json: change });
}

/** Resolves issues without keeping a row: their rows are skipped. */
export function resolveIssues(issueIds: number[], resolutionComment: string): Promise<ResolvedIssues> {
  return apiFetch<ResolvedIssues>("/api/issues/resolve", {
    method: "POST",
    json: { issue_ids: issueIds, ...(resolutionComment ? { resolution_comment: resolutionComment } : {}) },
  });
}

/** What a resolution would do to the rows, computed by the server with the rule its write follows; changes nothing. */
export function previewResolution(request: ResolutionRequest, signal?: AbortSignal): Promise<ResolutionPreview> {
  return apiFetch<ResolutionPreview>("/api/issues/preview", { method: "POST", json: request, signal });
}

/** Keeps one row of a duplicate or conflict: it becomes READY, the issue's other rows SKIPPED, the issue resolved. */
export function keepRow(issueId: number, stagingId: number, resolutionComment?: string): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}/keep`, {
    method: "POST",
    json: { staging_id: stagingId, ...(resolutionComment ? { resolution_comment: resolutionComment } : {}) },
  });
}

/** Keeps a conflict's existing contact: every row of the issue SKIPPED and the issue resolved, in one request. */
export function keepExistingContact(issueId: number, resolutionComment: string): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}/keep`, {
    method: "POST",
    json: { existing: true, resolution_comment: resolutionComment },
  });
}

export function updateStagingRow(stagingId: number, patch: StagingPatch): Promise<SavedStagingRow> {
  return apiFetch<SavedStagingRow>(`/api/staging/${stagingId}`, { method: "PUT", json: patch });
}

/** Every cached issue list and issue of a company (filters, job and page are further key parts). */
export const issuesKey = (companyId: string) => ["issues", companyId] as const;

/** A preview is cached with the issues: every review write, which refreshes them, asks for it again. */
export const previewKey = (companyId: string, request: ResolutionRequest) =>
  [...issuesKey(companyId), "preview", request] as const;
