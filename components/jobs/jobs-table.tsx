"use client";

import {
  createColumnHelper,
  rowPaginationFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type Updater,
} from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState } from "react";
import { fetchJobs, jobsKey, JOBS_PAGE_SIZE, type Job, type JobStatus } from "@/components/api/jobs";
import { JobActions, type JobPermissions } from "@/components/jobs/job-actions";
import { RelativeTime } from "@/components/ui/relative-time";
import { JOB_STATUS_LIST, STATUS_LABELS, StatusBadge } from "@/components/jobs/status-badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { QueryTable } from "@/components/ui/query-table";
import { SelectField } from "@/components/ui/select-field";
import { usePagedQuery } from "@/components/ui/use-paged-query";
import { formatBytes, formatCount } from "@/lib/format/numbers";

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
    case "CANCELLED":
      return <span className="text-xs text-slate-500">Cancelled</span>;
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
    column.accessor("created_at", {
      header: "Created",
      cell: ({ row }) => <RelativeTime iso={row.original.created_at} />,
    }),
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

const STATUS_OPTIONS = [
  { value: "", label: "All statuses" },
  ...JOB_STATUS_LIST.map((value) => ({ value, label: STATUS_LABELS[value] })),
];
const RIGHT_ALIGNED: ReadonlySet<string> = new Set(["total_rows", "issue_count", "actions"]);

/** The company's jobs, newest first: filtered by status, paged by the server, live while any job runs. */
export function JobsTable({ companyId, canReprocess, canDelete, canCancel }: { companyId: string } & JobPermissions) {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [page, setPage] = useState(1);

  const paged = usePagedQuery(
    {
      queryKey: [...jobsKey(companyId), { status, page }],
      queryFn: ({ signal }) => fetchJobs({ status, page }, signal),
      refetchInterval: (current) => (current.state.data?.jobs.some(isActive) ? POLL_MS : false),
    },
    { page, pageSize: JOBS_PAGE_SIZE, onPageChange: setPage },
  );
  const { query, total } = paged;

  const pagination: PaginationState = { pageIndex: page - 1, pageSize: JOBS_PAGE_SIZE };
  const columns = useMemo(
    () => buildColumns({ canReprocess, canDelete, canCancel }),
    [canReprocess, canDelete, canCancel],
  );
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
  return (
    <QueryTable
      paged={paged}
      noun="job"
      caption="Jobs"
      table={table}
      rightAligned={RIGHT_ALIGNED}
      filters={
        <SelectField
          label="Status"
          value={status ?? ""}
          options={STATUS_OPTIONS}
          onChange={(value) => {
            setStatus(JOB_STATUS_LIST.find((candidate) => candidate === value) ?? null);
            setPage(1);
          }}
        />
      }
      status={
        live ? (
          <>
            <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-sky-500" />
            Updating live
          </>
        ) : undefined
      }
      empty={
        query.isPending
          ? "Loading jobs…"
          : query.isError
            ? "No jobs to show."
            : status
              ? `No ${STATUS_LABELS[status].toLowerCase()} jobs.`
              : "No jobs yet. Uploaded files appear here as they are processed."
      }
    />
  );
}
