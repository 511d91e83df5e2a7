"use client";

import { useQuery } from "@tanstack/react-query";
import { createColumnHelper, rowSelectionFeature, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useState } from "react";
import { fetchIssues, issuesKey, type Issue, type IssueType } from "@/components/api/issues";
import {
  parseIssueType,
  parseResolvedFilter,
  RESOLVED_OPTIONS,
  resolvedParam,
  typeOptions,
  type ResolvedFilter,
} from "@/components/review/issue-filters";
import { IssueCounts } from "@/components/review/issue-counts";
import { issueSubject, IssueTypeBadge, ResolutionBadge } from "@/components/review/issue-type";
import { fetchJobs, jobsKey } from "@/components/api/jobs";
import { RelativeTime } from "@/components/ui/relative-time";
import { BulkSkip } from "@/components/review/bulk-skip";
import { QueryTable } from "@/components/ui/query-table";
import { SelectField } from "@/components/ui/select-field";
import { usePagedQuery } from "@/components/ui/use-paged-query";
import { useRowSelection } from "@/components/ui/use-row-selection";
import { formatCount } from "@/lib/format/numbers";

const PAGE_SIZE = 25;
/** The job filter offers the newest jobs that have issues; a link can still name any job. */
const JOBS_FOR_FILTER = 100;

const features = tableFeatures({ rowSelectionFeature });
const column = createColumnHelper<typeof features, Issue>();
const NO_ISSUES: Issue[] = [];

const selectColumn = column.display({
  id: "select",
  header: () => <span className="sr-only">Select</span>,
  cell: ({ row }) =>
    row.getCanSelect() ? (
      <input
        type="checkbox"
        checked={row.getIsSelected()}
        onChange={(event) => row.toggleSelected(event.currentTarget.checked)}
        aria-label={`Select issue #${row.original.issue_id}`}
        className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
      />
    ) : null,
});

const readColumns = column.columns([
  column.accessor("issue_type", {
    header: "Issue",
    cell: ({ row }) => {
      const issue = row.original;
      return (
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <IssueTypeBadge type={issue.issue_type} />
            <span className="font-medium break-all text-slate-900">{issueSubject(issue)}</span>
          </div>
          {issue.issue_description ? (
            <p className="max-w-md text-xs text-slate-500">{issue.issue_description}</p>
          ) : null}
        </div>
      );
    },
  }),
  column.accessor("job_filename", {
    header: "Job",
    cell: ({ row }) => (
      <div className="min-w-0">
        <Link
          href={`/jobs/${row.original.issues_job_id}`}
          prefetch={false}
          className="block max-w-56 truncate text-indigo-600 hover:text-indigo-500"
          title={row.original.job_filename}
        >
          {row.original.job_filename}
        </Link>
        <p className="text-xs text-slate-500">#{row.original.issues_job_id}</p>
      </div>
    ),
  }),
  column.accessor("affected_row_count", {
    header: "Rows",
    cell: ({ row }) => formatCount(row.original.affected_row_count),
  }),
  column.accessor("issue_resolved", {
    header: "Status",
    cell: ({ row }) => {
      const issue = row.original;
      return (
        <div className="space-y-1">
          <ResolutionBadge resolved={issue.issue_resolved} />
          {issue.issue_resolved && issue.issue_resolved_by ? (
            <p className="max-w-40 truncate text-xs text-slate-500">by {issue.issue_resolved_by}</p>
          ) : null}
        </div>
      );
    },
  }),
  column.accessor("issue_created_at", {
    header: "Found",
    cell: ({ row }) => <RelativeTime iso={row.original.issue_created_at} />,
  }),
  column.display({
    id: "review",
    header: () => <span className="sr-only">Review</span>,
    cell: ({ row }) => (
      <Link
        href={`/jobs/${row.original.issues_job_id}/review`}
        prefetch={false}
        className="font-semibold whitespace-nowrap text-indigo-600 hover:text-indigo-500"
      >
        Review
        <span className="sr-only">
          {" "}
          issue #{row.original.issue_id} in {row.original.job_filename}
        </span>
      </Link>
    ),
  }),
]);

/** An editor also selects open issues, to skip their rows together. */
const editColumns = column.columns([selectColumn, ...readColumns]);

const RIGHT = new Set(["affected_row_count", "review"]);

export type IssuesTableFilters = { jobId: number | null; type: string | null; resolved: string | null };

/**
 * Every issue of the company's jobs, newest first: filtered, counted and paged by the server. An
 * editor selects open issues and skips their rows together, told first how many rows that is.
 */
export function IssuesTable({
  companyId,
  initial,
  canEdit,
}: {
  companyId: string;
  initial: IssuesTableFilters;
  canEdit: boolean;
}) {
  const [jobId, setJobId] = useState<number | null>(initial.jobId);
  const [type, setType] = useState<IssueType | null>(parseIssueType(initial.type));
  const [resolved, setResolved] = useState<ResolvedFilter>(parseResolvedFilter(initial.resolved));
  const [page, setPageState] = useState(1);
  const selection = useRowSelection();
  const [announcement, setAnnouncement] = useState("");
  // Another page or filter shows other issues: what was selected is let go.
  const setPage = (next: number) => {
    setPageState(next);
    selection.clear();
  };

  const filters = { jobId, type, resolved: resolvedParam(resolved), page, pageSize: PAGE_SIZE };
  const paged = usePagedQuery(
    { queryKey: [...issuesKey(companyId), "all", filters], queryFn: ({ signal }) => fetchIssues(filters, signal) },
    { page, pageSize: PAGE_SIZE, onPageChange: setPage },
  );
  const { query } = paged;
  const jobs = useQuery({
    queryKey: [...jobsKey(companyId), { status: null, page: 1, pageSize: JOBS_FOR_FILTER }],
    queryFn: ({ signal }) => fetchJobs({ status: null, page: 1, pageSize: JOBS_FOR_FILTER }, signal),
  });

  const table = useTable({
    features,
    columns: canEdit ? editColumns : readColumns,
    data: query.data?.issues ?? NO_ISSUES,
    getRowId: (issue) => String(issue.issue_id),
    state: { rowSelection: selection.rowSelection },
    onRowSelectionChange: selection.onRowSelectionChange,
    enableRowSelection: (row) => canEdit && !row.original.issue_resolved,
  });
  // Only what is on the page and still selectable (a refresh may have resolved some).
  const selectedIds = table
    .getRowModel()
    .rows.filter((row) => row.getIsSelected() && row.getCanSelect())
    .map((row) => row.original.issue_id);

  const jobOptions = [
    { value: "", label: "All jobs" },
    ...(jobs.data?.jobs ?? [])
      .filter((job) => job.issue_count > 0 || job.job_id === jobId)
      .map((job) => ({ value: String(job.job_id), label: `#${job.job_id} ${job.filename}` })),
  ];
  if (jobId !== null && !jobOptions.some((option) => option.value === String(jobId))) {
    jobOptions.push({ value: String(jobId), label: `#${jobId}` });
  }

  return (
    <div className="space-y-6">
      <IssueCounts list={query.data} label="Issue counts" />
      <BulkSkip
        companyId={companyId}
        editable={canEdit}
        issueIds={selectedIds}
        table={table}
        clearSelection={selection.clear}
        announcement={announcement}
        announce={setAnnouncement}
      />
      <QueryTable
        className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
        paged={paged}
        noun="issue"
        caption="Issues"
        table={table}
        rightAligned={RIGHT}
        filters={
          <>
            <SelectField
              label="Job"
              value={jobId === null ? "" : String(jobId)}
              options={jobOptions}
              onChange={(value) => {
                setJobId(value === "" ? null : Number(value));
                setPage(1);
              }}
            />
            <SelectField
              label="Type"
              value={type ?? ""}
              options={typeOptions(query.data?.by_type)}
              onChange={(value) => {
                setType(parseIssueType(value));
                setPage(1);
              }}
            />
            <SelectField
              label="Show"
              value={resolved}
              options={RESOLVED_OPTIONS}
              onChange={(value) => {
                setResolved(parseResolvedFilter(value));
                setPage(1);
              }}
            />
          </>
        }
        empty={
          query.isPending
            ? "Loading issues…"
            : resolved === "open"
              ? "No open issues: nothing waits for review."
              : "No issues match."
        }
      />
    </div>
  );
}
