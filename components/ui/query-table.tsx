"use client";

import type { HeaderGroup, Row, RowData, TableFeatures } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { DataTable, LoadError, type AriaSort } from "@/components/ui/data-table";
import { Pagination } from "@/components/ui/pagination";
import type { PagedData, PagedQuery } from "@/components/ui/use-paged-query";
import { formatCountOf } from "@/lib/format/numbers";

/**
 * A table over a list paged by the server (see usePagedQuery): its filters, how many items there are
 * (or `status` in their place), what went wrong loading them (with a retry), the table, and previous
 * and next. `noun` (singular) names the items: "3 jobs", "Could not load the jobs".
 */
export function QueryTable<TFeatures extends TableFeatures, TData extends RowData>({
  paged: { query, total, page, pageCount, onPageChange },
  noun,
  caption,
  table,
  empty,
  waiting = false,
  rightAligned,
  sortOf,
  filters,
  status,
  actions,
  paginationLabel,
  className = "space-y-4",
}: {
  paged: PagedQuery<PagedData>;
  noun: string;
  caption: string;
  table: {
    getHeaderGroups: () => HeaderGroup<TFeatures, TData>[];
    getRowModel: () => { rows: Row<TFeatures, TData>[] };
  };
  empty: ReactNode;
  /** Busy for a reason of the caller's too (a search still being typed). */
  waiting?: boolean;
  rightAligned?: ReadonlySet<string>;
  sortOf?: (columnId: string) => AriaSort | undefined;
  filters: ReactNode;
  /** Shown instead of the count. */
  status?: ReactNode;
  /** After the count, at the end of the filters' line. */
  actions?: ReactNode;
  paginationLabel?: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <div className="flex flex-wrap items-center gap-4">
        {filters}
        <p className={`flex items-center gap-2 text-xs text-slate-500 ${actions ? "" : "ml-auto"}`}>
          {status ?? (query.data ? formatCountOf(total, noun) : null)}
        </p>
        {actions}
      </div>
      {query.isError ? (
        <LoadError
          what={`${noun}s`}
          message={query.error.message}
          stale={Boolean(query.data)}
          onRetry={() => void query.refetch()}
        />
      ) : null}
      <DataTable
        caption={caption}
        headerGroups={table.getHeaderGroups()}
        rows={table.getRowModel().rows}
        busy={query.isPending || query.isPlaceholderData || waiting}
        rightAligned={rightAligned}
        sortOf={sortOf}
        empty={empty}
      />
      <Pagination
        label={paginationLabel}
        page={page}
        pageCount={pageCount}
        onPageChange={onPageChange}
        busy={query.isPlaceholderData}
      />
    </div>
  );
}
