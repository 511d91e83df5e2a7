"use client";

import { FlexRender, type HeaderGroup, type Row, type RowData, type TableFeatures } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { ActionButton } from "@/components/ui/action-button";

export type AriaSort = "ascending" | "descending" | "none";

/**
 * The markup of a table built with TanStack Table: a captioned table (its accessible name), header
 * cells with `aria-sort` where a column is sortable, a message row when there is nothing to show.
 * `busy` dims the rows while the next page or filter is loading (and tells assistive technology).
 */
export function DataTable<TFeatures extends TableFeatures, TData extends RowData>({
  caption,
  headerGroups,
  rows,
  busy,
  empty,
  rightAligned,
  sortOf,
  rowClassName,
}: {
  caption: string;
  headerGroups: HeaderGroup<TFeatures, TData>[];
  rows: Row<TFeatures, TData>[];
  busy: boolean;
  empty: ReactNode;
  rightAligned?: ReadonlySet<string>;
  sortOf?: (columnId: string) => AriaSort | undefined;
  rowClassName?: (row: Row<TFeatures, TData>) => string;
}) {
  const columnCount = headerGroups.at(-1)?.headers.length ?? 1;
  const align = (columnId: string) => (rightAligned?.has(columnId) ? "text-right tabular-nums" : "text-left");
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className={`w-full text-sm ${busy ? "opacity-60" : ""}`} aria-busy={busy}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          {headerGroups.map((group) => (
            <tr key={group.id} className="border-b border-slate-200">
              {group.headers.map((header) => (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={sortOf?.(header.column.id)}
                  className={`px-5 py-2 text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase ${align(header.column.id)}`}
                >
                  {header.isPlaceholder ? null : <FlexRender header={header} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              className={`border-b border-slate-100 align-middle last:border-0 hover:bg-slate-50/60 ${rowClassName?.(row) ?? ""}`}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={`px-5 py-3 ${align(cell.column.id)}`}>
                  <FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className="px-5 py-10 text-center text-sm text-slate-500">
                {empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** A column header that toggles the server's sort: the button carries the name, the header cell `aria-sort`. */
export function SortButton({ label, sorted, onToggle }: { label: string; sorted: AriaSort; onToggle: () => void }) {
  const arrow = sorted === "ascending" ? "↑" : sorted === "descending" ? "↓" : "↕";
  return (
    <button
      type="button"
      onClick={onToggle}
      className="inline-flex items-center gap-1 uppercase hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      {label}
      <span aria-hidden="true" className={sorted === "none" ? "text-slate-300" : "text-indigo-600"}>
        {arrow}
      </span>
    </button>
  );
}

/** The message for a failed load, with a retry; `stale` when older data is still shown. */
export function LoadError({
  what,
  message,
  stale,
  onRetry,
}: {
  what: string;
  message: string;
  stale: boolean;
  onRetry: () => void;
}) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700"
    >
      <span>
        {stale ? `Could not refresh the ${what}: ` : `Could not load the ${what}: `}
        {message}
      </span>
      <ActionButton onClick={onRetry}>Try again</ActionButton>
    </div>
  );
}
