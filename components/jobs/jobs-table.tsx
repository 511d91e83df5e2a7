"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  createColumnHelper,
  rowPaginationFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type Updater,
} from "@tanstack/react-table";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { fetchJobs, jobsKey, JOBS_PAGE_SIZE, type Job, type JobStatus } from "@/components/jobs/api";
import { formatBytes, formatCount } from "@/components/jobs/format";
import { JobActions, type JobPermissions } from "@/components/jobs/job-actions";
import { RelativeTime } from "@/components/jobs/relative-time";
import { JOB_STATUS_LIST, STATUS_LABELS, StatusBadge } from "@/components/jobs/status-badge";
import { ActionButton } from "@/components/ui/action-button";
import { ProgressBar } from "@/components/ui/progress-bar";

/** While any listed job is waiting or running, the list is fetched again this often. */
export const POLL_MS = 1_500;

const isActive = (job: Job) => job.status === "PENDING" || job.status === "PROCESSING";

const features = tableFeatures({ rowPaginationFeature });
const column = createColumnHelper<typeof features, Job>();
const NO_JOBS: Job[] = [];
const rowId = (job: Job) => String(job.job_id);

function RowsCell({ job }: { job: Job }) {
  if (job.total_rows !== null) return <>{formatCount(job.total_rows)}</>;
  if (job.staged_rows > 0) return <>{formatCount(job.staged_rows)}</>;
  return <span className="text-slate-400">—</span>;
}

function ProgressCell({ job }: { job: Job }) {
  switch (job.status) {
    case "PROCESSING":
      return (
        <div className="flex min-w-32 items-center gap-2">
          <ProgressBar value={job.progress} label={`Processing ${job.filename}`} tone="sky" />
          <span className="w-9 text-right text-xs text-slate-600 tabular-nums">{job.progress}%</span>
        </div>
      );
    case "PENDING":
      return <span className="text-xs text-slate-500">{job.error ?? "Waiting to start"}</span>;
    case "COMPLETED":
      return (
        <span className="text-xs whitespace-nowrap text-slate-600">
          {formatCount(job.inserted_count)} new · {formatCount(job.updated_count)} updated
          {job.skipped_count > 0 ? ` · ${formatCount(job.skipped_count)} skipped` : ""}
        </span>
      );
    case "NEEDS_REVIEW":
      return <span className="text-xs text-amber-800">Waiting for review</span>;
    case "FAILED":
      return (
        <span className="line-clamp-2 max-w-56 text-xs text-red-700" title={job.error ?? undefined}>
          {job.error ?? "Failed"}
        </span>
      );
    case "REVERTED":
      return <span className="text-xs text-slate-500">Reverted</span>;
  }
}

function buildColumns(permissions: JobPermissions) {
  return column.columns([
    column.accessor("filename", {
      header: "File",
      cell: ({ row }) => {
        const job = row.original;
        return (
          <div className="min-w-0">
            <Link
              href={`/jobs/${job.job_id}`}
              prefetch={false}
              className="block max-w-64 truncate font-medium text-indigo-600 hover:text-indigo-500"
              title={job.filename}
            >
              {job.filename}
            </Link>
            <p className="text-xs text-slate-500">
              #{job.job_id} · {formatBytes(job.size_bytes)}
            </p>
          </div>
        );
      },
    }),
    column.accessor("status", { header: "Status", cell: ({ row }) => <StatusBadge status={row.original.status} /> }),
    column.accessor("total_rows", { header: "Rows", cell: ({ row }) => <RowsCell job={row.original} /> }),
    column.accessor("issue_count", {
      header: "Issues",
      cell: ({ row }) => {
        const issues = row.original.issue_count;
        return issues > 0 ? (
          <span className="font-semibold text-amber-700">{formatCount(issues)}</span>
        ) : (
          <span className="text-slate-500">0</span>
        );
      },
    }),
    column.accessor("progress", { header: "Progress", cell: ({ row }) => <ProgressCell job={row.original} /> }),
    column.accessor("created_at", { header: "Created", cell: ({ row }) => <RelativeTime iso={row.original.created_at} /> }),
    column.accessor("created_by", {
      header: "By",
      cell: ({ row }) => {
        const by = row.original.created_by;
        if (!by) return <span className="text-slate-500">API key</span>;
        return (
          <span className="block max-w-40 truncate" title={by.email ?? undefined}>
            {by.name ?? by.email ?? "Unknown user"}
          </span>
        );
      },
    }),
    column.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => <JobActions job={row.original} {...permissions} />,
    }),
  ]);
}

const NUMERIC = new Set(["total_rows", "issue_count"]);

/** The company's jobs, newest first: filtered by status, paged by the server, live while any job runs. */
export function JobsTable({ companyId, canReprocess, canDelete }: { companyId: string } & JobPermissions) {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [page, setPage] = useState(1);
  const filterId = useId();

  const query = useQuery({
    queryKey: [...jobsKey(companyId), { status, page }],
    queryFn: ({ signal }) => fetchJobs({ status, page }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (current) => (current.state.data?.jobs.some(isActive) ? POLL_MS : false),
  });

  const total = query.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / JOBS_PAGE_SIZE));
  // The last page emptied (jobs deleted here or elsewhere): step back to the new last page.
  if (query.data && !query.isPlaceholderData && page > pageCount) setPage(pageCount);

  const pagination: PaginationState = { pageIndex: page - 1, pageSize: JOBS_PAGE_SIZE };
  const columns = useMemo(() => buildColumns({ canReprocess, canDelete }), [canReprocess, canDelete]);
  const table = useTable({
    features,
    columns,
    data: query.data?.jobs ?? NO_JOBS,
    getRowId: rowId,
    manualPagination: true,
    rowCount: total,
    state: { pagination },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = typeof updater === "function" ? updater(pagination) : updater;
      setPage(next.pageIndex + 1);
    },
  });

  const live = query.data?.jobs.some(isActive) ?? false;
  const rows = table.getRowModel().rows;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <label htmlFor={filterId} className="text-sm font-medium text-slate-700">
            Status
          </label>
          <select
            id={filterId}
            value={status ?? ""}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setStatus(value === "" ? null : (value as JobStatus));
              setPage(1);
            }}
            className="rounded-md border-0 py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600"
          >
            <option value="">All statuses</option>
            {JOB_STATUS_LIST.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <p className="flex items-center gap-2 text-xs text-slate-500">
          {live ? (
            <>
              <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-sky-500" />
              Updating live
            </>
          ) : query.data ? (
            `${formatCount(total)} job${total === 1 ? "" : "s"}`
          ) : null}
        </p>
      </div>

      {query.isError ? (
        <div role="alert" className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          <span>
            {query.data ? "Could not refresh the jobs: " : "Could not load the jobs: "}
            {query.error.message}
          </span>
          <ActionButton onClick={() => void query.refetch()}>Try again</ActionButton>
        </div>
      ) : null}

      <div className="-mx-5 overflow-x-auto">
        <table className={`w-full text-sm ${query.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={query.isPending || query.isPlaceholderData}>
          <caption className="sr-only">Jobs</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="border-b border-slate-200">
                {group.headers.map((header) => (
                  <th
                    key={header.id}
                    scope="col"
                    className={`px-5 py-2 text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase ${
                      NUMERIC.has(header.column.id) || header.column.id === "actions" ? "text-right" : "text-left"
                    }`}
                  >
                    {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className="border-b border-slate-100 align-middle last:border-0 hover:bg-slate-50/60">
                {row.getAllCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={`px-5 py-3 ${NUMERIC.has(cell.column.id) || cell.column.id === "actions" ? "text-right tabular-nums" : ""}`}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="px-5 py-10 text-center text-sm text-slate-500">
                  {query.isPending
                    ? "Loading jobs…"
                    : query.isError
                      ? "No jobs to show."
                      : status
                        ? `No ${STATUS_LABELS[status].toLowerCase()} jobs.`
                        : "No jobs yet. Uploaded files appear here as they are processed."}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>

      <nav aria-label="Pagination" className="flex items-center justify-between gap-3 border-t border-slate-100 pt-4">
        <p className="text-sm text-slate-600">
          Page {formatCount(page)} of {formatCount(pageCount)}
        </p>
        <div className="flex gap-2">
          <ActionButton onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
            Previous
          </ActionButton>
          <ActionButton onClick={() => table.nextPage()} disabled={!table.getCanNextPage() || query.isPlaceholderData}>
            Next
          </ActionButton>
        </div>
      </nav>
    </div>
  );
}
