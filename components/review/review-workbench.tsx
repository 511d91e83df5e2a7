"use client";

import {
  createColumnHelper,
  functionalUpdate,
  rowPaginationFeature,
  rowSelectionFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type Updater,
} from "@tanstack/react-table";
import { useState } from "react";
import { fetchJobIssues, issuesKey, type Issue, type IssueType } from "@/components/api/issues";
import {
  parseIssueType,
  parseResolvedFilter,
  RESOLVED_OPTIONS,
  resolvedParam,
  typeOptions,
  type ResolvedFilter,
} from "@/components/review/issue-filters";
import { IssueCounts } from "@/components/review/issue-counts";
import type { JobDetail } from "@/components/api/jobs";
import { LoadError } from "@/components/ui/data-table";
import { Pagination } from "@/components/ui/pagination";
import { SelectField } from "@/components/ui/select-field";
import { usePagedQuery } from "@/components/ui/use-paged-query";
import { useRowSelection } from "@/components/ui/use-row-selection";
import { formatCountOf } from "@/lib/format/numbers";
import { jobAllows } from "@/lib/ingest/job-status";
import { BulkSkip } from "./bulk-skip";
import { IssueCard } from "./issue-card";
import { ReviewStatus } from "./review-status";
import { useIssueFocus } from "./use-issue-focus";
import { useReviewJob } from "./use-review-job";
import { useReviewRefresh } from "./use-review-refresh";

export const REVIEW_PAGE_SIZE = 20;

const features = tableFeatures({ rowPaginationFeature, rowSelectionFeature });
const column = createColumnHelper<typeof features, Issue>();
// The issues are laid out as cards, not cells: the table keeps their pagination and selection.
const columns = column.columns([column.accessor("issue_id", { header: "Issue" })]);
const NO_ISSUES: Issue[] = [];

/**
 * A job's review: its issues a page at a time (filtered by the server), each with its rows side by
 * side and editable in place; select many and skip their rows together (told first how many rows
 * that skips); the keyboard moves between issues. When the last issue is resolved the job finishes
 * by itself, and this page follows it.
 */
export function ReviewWorkbench({
  companyId,
  initialJob,
  canEdit,
}: {
  companyId: string;
  initialJob: JobDetail;
  canEdit: boolean;
}) {
  const jobId = initialJob.job_id;
  const [type, setType] = useState<IssueType | null>(null);
  const [resolved, setResolved] = useState<ResolvedFilter>("open");
  const [page, setPage] = useState(1);
  const [announcement, setAnnouncement] = useState("");
  const selection = useRowSelection();
  const refresh = useReviewRefresh(companyId);
  const job = useReviewJob(initialJob, companyId, refresh);
  const editable = canEdit && job.data !== undefined && jobAllows(job.data.status, "review");

  const filters = { type, resolved: resolvedParam(resolved), page, pageSize: REVIEW_PAGE_SIZE };
  const {
    query: issues,
    total,
    pageCount,
  } = usePagedQuery(
    {
      queryKey: [...issuesKey(companyId), "job", jobId, filters],
      queryFn: ({ signal }) => fetchJobIssues(jobId, filters, signal),
    },
    { page, pageSize: REVIEW_PAGE_SIZE, onPageChange: setPage },
  );

  const pagination: PaginationState = { pageIndex: page - 1, pageSize: REVIEW_PAGE_SIZE };
  const table = useTable({
    features,
    columns,
    data: issues.data?.issues ?? NO_ISSUES,
    getRowId: (issue) => String(issue.issue_id),
    manualPagination: true,
    rowCount: total,
    state: { pagination, rowSelection: selection.rowSelection },
    onPaginationChange: (updater: Updater<PaginationState>) =>
      changePage(functionalUpdate(updater, pagination).pageIndex + 1),
    onRowSelectionChange: selection.onRowSelectionChange,
    enableRowSelection: (row) => editable && !row.original.issue_resolved,
  });
  const rows = table.getRowModel().rows;
  const {
    listRef,
    focusedIndex,
    focusedRow,
    onFocusIssue,
    reset: resetFocus,
  } = useIssueFocus({
    rows,
    shown: issues.isPlaceholderData ? null : issues.data?.issues,
    page,
    pageCount,
    onPageChange: changePage,
  });

  function changePage(next: number) {
    setPage(next);
    selection.clear();
    resetFocus();
  }
  function changeFilter(apply: () => void) {
    apply();
    changePage(1);
  }

  const busy = issues.isPending || issues.isPlaceholderData;
  return (
    <div className="space-y-6">
      <ReviewStatus job={job.data} />
      {job.isError ? (
        <LoadError what="job" message={job.error.message} stale onRetry={() => void job.refetch()} />
      ) : null}

      <IssueCounts list={issues.data} label="Issue counts for this job" />

      <div className="flex flex-wrap items-center gap-4">
        <SelectField
          label="Type"
          value={type ?? ""}
          options={typeOptions(issues.data?.by_type)}
          onChange={(value) => changeFilter(() => setType(parseIssueType(value)))}
        />
        <SelectField
          label="Show"
          value={resolved}
          options={RESOLVED_OPTIONS}
          onChange={(value) => changeFilter(() => setResolved(parseResolvedFilter(value)))}
        />
        <p className="ml-auto text-xs text-slate-500">
          Keyboard: <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>j</kbd>/<kbd>k</kbd> between issues, <kbd>←</kbd>/<kbd>→</kbd>{" "}
          between rows, <kbd>Enter</kbd> to edit, <kbd>Esc</kbd> to cancel, <kbd>x</kbd> to select.
        </p>
      </div>

      <BulkSkip
        companyId={companyId}
        editable={editable}
        issueIds={selection.selectedIds.map(Number)}
        table={table}
        clearSelection={selection.clear}
        announcement={announcement}
        announce={setAnnouncement}
      />

      {issues.isError ? (
        <LoadError
          what="issues"
          message={issues.error.message}
          stale={Boolean(issues.data)}
          onRetry={() => void issues.refetch()}
        />
      ) : null}

      <div
        ref={listRef}
        role="list"
        aria-label="Issues"
        aria-busy={busy}
        className={`space-y-4 ${busy && issues.data ? "opacity-60" : ""}`}
      >
        {rows.map((row, index) => (
          <div role="listitem" key={row.id}>
            <IssueCard
              companyId={companyId}
              issue={row.original}
              index={index}
              focused={index === focusedIndex}
              focusedRow={focusedRow}
              selected={row.getIsSelected()}
              selectable={editable && row.getCanSelect()}
              editable={editable}
              onSelectedChange={(value) => row.toggleSelected(value)}
              onFocusIssue={onFocusIssue}
              announce={setAnnouncement}
              refresh={refresh}
            />
          </div>
        ))}
        {rows.length === 0 ? (
          <p className="rounded-lg bg-white px-5 py-10 text-center text-sm text-slate-500 ring-1 ring-slate-200">
            {issues.isPending
              ? "Loading issues…"
              : resolved === "open"
                ? "No open issues."
                : resolved === "resolved"
                  ? "No resolved issues yet."
                  : "This job has no issues."}
          </p>
        ) : null}
      </div>

      <Pagination
        page={page}
        pageCount={pageCount}
        onPageChange={changePage}
        busy={issues.isPlaceholderData}
        summary={formatCountOf(total, "issue")}
      />
    </div>
  );
}
