"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  createColumnHelper,
  functionalUpdate,
  rowPaginationFeature,
  rowSelectionFeature,
  tableFeatures,
  useTable,
  type PaginationState,
  type RowSelectionState,
  type Updater,
} from "@tanstack/react-table";
import { useCallback, useEffect, useRef, useState } from "react";
import { fetchJobIssues, issuesKey, type Issue, type IssueType } from "@/components/issues/api";
import { parseIssueType, parseResolvedFilter, RESOLVED_OPTIONS, resolvedParam, typeOptions, type ResolvedFilter } from "@/components/issues/filters";
import { IssueCounts } from "@/components/issues/issue-counts";
import { fetchJob, jobKey, type JobDetail } from "@/components/jobs/api";
import { LoadError } from "@/components/ui/data-table";
import { Pagination, pageCountOf } from "@/components/ui/pagination";
import { SelectField } from "@/components/ui/select-field";
import { formatCount } from "@/lib/format/numbers";
import { IssueCard } from "./issue-card";
import { LastChange } from "./last-change";
import { FINISHING_POLL_MS, isSettling, ReviewStatus } from "./review-status";
import { pageSelectionOf, SkipSelectedBar } from "./skip-selected";
import { useIssueKeyboard } from "./use-issue-keyboard";
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
 * that skips); the keyboard moves between
 * issues. When the last issue is resolved the job finishes by itself, and this page follows it.
 */
export function ReviewWorkbench({ companyId, initialJob, canEdit }: { companyId: string; initialJob: JobDetail; canEdit: boolean }) {
  const jobId = initialJob.job_id;
  const [type, setType] = useState<IssueType | null>(null);
  const [resolved, setResolved] = useState<ResolvedFilter>("open");
  const [page, setPage] = useState(1);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [focusedIndex, setFocusedIndex] = useState(0);
  const [focusedRow, setFocusedRow] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const listRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<"first" | "last" | null>(null);
  const listHadFocus = useRef(false);
  const refresh = useReviewRefresh(companyId);

  const job = useQuery({
    queryKey: jobKey(companyId, jobId),
    queryFn: ({ signal }) => fetchJob(jobId, signal),
    initialData: initialJob,
    refetchInterval: (current) => (isSettling(current.state.data) ? FINISHING_POLL_MS : false),
  });
  const editable = canEdit && job.data?.status === "NEEDS_REVIEW";

  const filters = { type, resolved: resolvedParam(resolved), page, pageSize: REVIEW_PAGE_SIZE };
  const issues = useQuery({
    queryKey: [...issuesKey(companyId), "job", jobId, filters],
    queryFn: ({ signal }) => fetchJobIssues(jobId, filters, signal),
    placeholderData: keepPreviousData,
  });

  // Finishing changes the rows (imported, skipped) and the contacts: show them as they end up.
  const status = job.data.status;
  const previousStatus = useRef(status);
  useEffect(() => {
    if (status === "COMPLETED" && previousStatus.current !== "COMPLETED") void refresh();
    previousStatus.current = status;
  }, [status, refresh]);

  const total = issues.data?.total ?? 0;
  const pageCount = pageCountOf(total, REVIEW_PAGE_SIZE);
  if (issues.data && !issues.isPlaceholderData && page > pageCount) setPage(pageCount);

  const pagination: PaginationState = { pageIndex: page - 1, pageSize: REVIEW_PAGE_SIZE };
  const table = useTable({
    features,
    columns,
    data: issues.data?.issues ?? NO_ISSUES,
    getRowId: (issue) => String(issue.issue_id),
    manualPagination: true,
    rowCount: total,
    state: { pagination, rowSelection },
    onPaginationChange: (updater: Updater<PaginationState>) => changePage(functionalUpdate(updater, pagination).pageIndex + 1),
    onRowSelectionChange: (updater: Updater<RowSelectionState>) => setRowSelection((previous) => functionalUpdate(updater, previous)),
    enableRowSelection: (row) => editable && !row.original.issue_resolved,
  });
  const rows = table.getRowModel().rows;
  const selectedIds = Object.keys(rowSelection)
    .filter((id) => rowSelection[id])
    .map(Number);

  function changePage(next: number) {
    setPage(next);
    setRowSelection({});
    setFocusedIndex(0);
    setFocusedRow(0);
  }
  function changeFilter(apply: () => void) {
    apply();
    changePage(1);
  }

  const focusCard = useCallback((index: number) => {
    const card = listRef.current?.querySelector<HTMLElement>(`[data-issue-index="${index}"]`);
    if (!card) return;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }, []);

  const onFocusIssue = useCallback(
    (index: number) => {
      listHadFocus.current = true;
      if (index !== focusedIndex) {
        setFocusedIndex(index);
        setFocusedRow(0);
      }
    },
    [focusedIndex],
  );

  // After a page change by keyboard, or once a resolved issue has left the list (taking the focus
  // with it), the keyboard carries on from the nearest issue.
  const shown = issues.isPlaceholderData ? null : issues.data?.issues;
  useEffect(() => {
    if (!shown) return;
    const last = Math.max(0, shown.length - 1);
    if (pendingFocus.current) {
      const index = pendingFocus.current === "first" ? 0 : last;
      pendingFocus.current = null;
      setFocusedIndex(index);
      focusCard(index);
      return;
    }
    if (focusedIndex > last) setFocusedIndex(last);
    if (listHadFocus.current && (document.activeElement === null || document.activeElement === document.body)) {
      focusCard(Math.min(focusedIndex, last));
    }
  }, [shown, focusedIndex, focusCard]);

  const focusedIssue = rows[focusedIndex]?.original;
  useIssueKeyboard(listRef, {
    moveIssue: (delta) => {
      // Coming from outside the list, the first key press lands on the current issue.
      if (!listRef.current?.contains(document.activeElement)) {
        focusCard(focusedIndex);
        return;
      }
      const next = focusedIndex + delta;
      if (next >= 0 && next < rows.length) {
        setFocusedIndex(next);
        setFocusedRow(0);
        focusCard(next);
      } else if (next >= rows.length && page < pageCount) {
        pendingFocus.current = "first";
        changePage(page + 1);
      } else if (next < 0 && page > 1) {
        pendingFocus.current = "last";
        changePage(page - 1);
      } else {
        focusCard(focusedIndex);
      }
    },
    moveRow: (delta) => {
      if (!focusedIssue) return;
      setFocusedRow((current) => Math.max(0, Math.min(focusedIssue.affected_rows.length - 1, current + delta)));
      focusCard(focusedIndex);
    },
    edit: () => {
      const card = listRef.current?.querySelector<HTMLElement>(`[data-issue-index="${focusedIndex}"]`);
      const buttons = card?.querySelectorAll<HTMLButtonElement>('button[data-edit-field="email"]');
      buttons?.[Math.min(focusedRow, buttons.length - 1)]?.click();
    },
    toggleSelected: () => {
      const row = rows[focusedIndex];
      if (row?.getCanSelect()) row.toggleSelected();
    },
  });

  const announce = useCallback((message: string) => setAnnouncement(message), []);

  const busy = issues.isPending || issues.isPlaceholderData;
  return (
    <div className="space-y-6">
      <ReviewStatus job={job.data} />
      {job.isError ? <LoadError what="job" message={job.error.message} stale onRetry={() => void job.refetch()} /> : null}

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
          Keyboard: <kbd>↑</kbd>/<kbd>↓</kbd> or <kbd>j</kbd>/<kbd>k</kbd> between issues, <kbd>←</kbd>/<kbd>→</kbd> between rows,{" "}
          <kbd>Enter</kbd> to edit, <kbd>Esc</kbd> to cancel, <kbd>x</kbd> to select.
        </p>
      </div>

      {editable ? (
        <SkipSelectedBar
          companyId={companyId}
          issueIds={selectedIds}
          page={pageSelectionOf(table)}
          onResolved={(announcement) => {
            setRowSelection({});
            announce(announcement);
          }}
        />
      ) : null}

      <LastChange announcement={announcement} />

      {issues.isError ? (
        <LoadError what="issues" message={issues.error.message} stale={Boolean(issues.data)} onRetry={() => void issues.refetch()} />
      ) : null}

      <div ref={listRef} role="list" aria-label="Issues" aria-busy={busy} className={`space-y-4 ${busy && issues.data ? "opacity-60" : ""}`}>
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
              announce={announce}
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

      <Pagination page={page} pageCount={pageCount} onPageChange={changePage} busy={issues.isPlaceholderData} summary={`${formatCount(total)} issue${total === 1 ? "" : "s"}`} />
    </div>
  );
}
