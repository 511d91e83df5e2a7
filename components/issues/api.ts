import { apiFetch, queryString } from "@/components/api/request";
import type { Contact } from "@/components/contacts/api";
import type { ISSUE_TYPES, ROW_CHECKS, STAGING_STATUSES } from "@/db/schema";

export type IssueType = (typeof ISSUE_TYPES)[number];
export type StagingStatus = (typeof STAGING_STATUSES)[number];
export type RowCheck = (typeof ROW_CHECKS)[number];

export type StagingRow = {
  staging_id: number;
  staging_job_id: number;
  staging_row_number: number;
  staging_email: string | null;
  staging_first_name: string | null;
  staging_last_name: string | null;
  staging_company: string | null;
  staging_status: StagingStatus;
  staging_row_check: RowCheck;
  staging_created_at: string;
  staging_updated_at: string;
};

export type Issue = {
  issue_id: number;
  issues_job_id: number;
  job_filename: string;
  issue_type: IssueType;
  issue_subject: string;
  issue_resolved: boolean;
  issue_description: string | null;
  issue_resolved_at: string | null;
  issue_resolved_by: string | null;
  issue_resolution_comment: string | null;
  issue_created_at: string;
  affected_row_count: number;
  affected_rows: StagingRow[];
  existing_contact: Contact | null;
};

export type IssueList = {
  issues: Issue[];
  total: number;
  resolved_count: number;
  unresolved_count: number;
  by_type: Record<IssueType, number>;
  page: number;
  page_size: number;
};

export type SavedStagingRow = StagingRow & { open_issues: { issue_id: number; issue_type: IssueType }[] };
export type ResolvedIssues = { resolved: number; issues: Issue[] };

/** What a list of issues is narrowed to: null means "any". */
export type IssueFilters = { type: IssueType | null; resolved: boolean | null; page: number; pageSize: number };

/** The editable fields of a staging row, as the staging endpoint names them. */
export type StagingField = "email" | "first_name" | "last_name" | "company";
export type StagingPatch = Partial<Record<StagingField, string>> & { status?: "READY" | "SKIPPED" };

function filterQuery({ type, resolved, page, pageSize }: IssueFilters) {
  return { type, resolved, page, page_size: pageSize };
}

/** The issue queue across the company's jobs, newest first. */
export function fetchIssues(filters: IssueFilters & { jobId: number | null }, signal?: AbortSignal): Promise<IssueList> {
  return apiFetch<IssueList>(`/api/issues${queryString({ job_id: filters.jobId, ...filterQuery(filters) })}`, { signal });
}

/** One job's issues, in the order they were found. */
export function fetchJobIssues(jobId: number, filters: IssueFilters, signal?: AbortSignal): Promise<IssueList> {
  return apiFetch<IssueList>(`/api/issues/job/${jobId}${queryString(filterQuery(filters))}`, { signal });
}

/** One issue with every one of its rows (lists carry at most 20). */
export function fetchIssue(issueId: number, signal?: AbortSignal): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}`, { signal });
}

export function updateIssue(issueId: number, change: { resolved?: boolean; resolution_comment?: string }): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}`, { method: "PUT", json: change });
}

export function resolveIssues(issueIds: number[], resolutionComment: string): Promise<ResolvedIssues> {
  return apiFetch<ResolvedIssues>("/api/issues/resolve", {
    method: "POST",
    json: { issue_ids: issueIds, ...(resolutionComment ? { resolution_comment: resolutionComment } : {}) },
  });
}

/** Keeps one row of a duplicate or conflict: it becomes READY, the issue's other rows SKIPPED, the issue resolved. */
export function keepRow(issueId: number, stagingId: number, resolutionComment?: string): Promise<Issue> {
  return apiFetch<Issue>(`/api/issues/${issueId}/keep`, {
    method: "POST",
    json: { staging_id: stagingId, ...(resolutionComment ? { resolution_comment: resolutionComment } : {}) },
  });
}

export function updateStagingRow(stagingId: number, patch: StagingPatch): Promise<SavedStagingRow> {
  return apiFetch<SavedStagingRow>(`/api/staging/${stagingId}`, { method: "PUT", json: patch });
}

/** Every cached issue list and issue of a company (filters, job and page are further key parts). */
export const issuesKey = (companyId: string) => ["issues", companyId] as const;
