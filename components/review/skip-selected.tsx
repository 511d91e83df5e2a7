"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { resolveIssues } from "@/components/api/issues";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/lib/format/numbers";
import { describeSkipped, skipButtonLabel } from "./outcome";
import { SkipPreviewText, useSkipPreview } from "./skip-preview";
import { useReviewRefresh } from "./use-review-refresh";

/** The page's selectable issues, as a table's row selection sees them. */
export type PageSelection = {
  all: boolean;
  some: boolean;
  selectable: boolean;
  toggleAll: (selected: boolean) => void;
};

/** What a table with row selection (of either page) says of its current page. */
export function pageSelectionOf(table: {
  getIsAllPageRowsSelected: () => boolean;
  getIsSomePageRowsSelected: () => boolean;
  toggleAllPageRowsSelected: (value?: boolean) => void;
  getRowModel: () => { rows: { getCanSelect: () => boolean }[] };
}): PageSelection {
  return {
    all: table.getIsAllPageRowsSelected(),
    some: table.getIsSomePageRowsSelected(),
    selectable: table.getRowModel().rows.some((row) => row.getCanSelect()),
    toggleAll: (selected) => table.toggleAllPageRowsSelected(selected),
  };
}

/**
 * The selected issues resolved together without keeping a row, on the Issues page and a job's review:
 * before the button is pressed it says how many rows that skips (the server's count for exactly this
 * selection), and the button is named by it. Afterwards the page is told what was done and the review's
 * data is fetched again.
 */
export function SkipSelectedBar({
  companyId,
  issueIds,
  page,
  onResolved,
}: {
  companyId: string;
  issueIds: readonly number[];
  page: PageSelection;
  /** The selection is done with; `announcement` says what was. */
  onResolved: (announcement: string) => void;
}) {
  const [comment, setComment] = useState("");
  const commentId = useId();
  const refresh = useReviewRefresh(companyId);
  const preview = useSkipPreview(companyId, issueIds, true);
  const skip = useMutation({
    mutationFn: () => resolveIssues([...issueIds], comment.trim()),
    onSuccess: async (result) => {
      setComment("");
      onResolved(describeSkipped({ resolved: result.resolved, rowsSkipped: result.rows_skipped }));
      await refresh();
    },
  });
  const selected = issueIds.length > 0;
  return (
    <div
      role="group"
      aria-label="Skip rows of selected issues"
      className="flex flex-wrap items-center gap-3 rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-slate-200"
    >
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={page.all}
          ref={(element) => {
            if (element) element.indeterminate = page.some && !page.all;
          }}
          onChange={(event) => page.toggleAll(event.currentTarget.checked)}
          disabled={!page.selectable}
          className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
        />
        Select all open issues on this page
      </label>
      <span className="text-sm text-slate-600 tabular-nums">{formatCount(issueIds.length)} selected</span>
      <label htmlFor={commentId} className="sr-only">
        Comment for the selected issues
      </label>
      <input
        id={commentId}
        value={comment}
        onChange={(event) => setComment(event.currentTarget.value)}
        placeholder="Why these rows are not imported (optional)"
        className="min-w-64 flex-1 rounded-md border-0 px-3 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:ring-inset"
      />
      <Button type="button" disabled={!selected || !preview.data || skip.isPending} onClick={() => skip.mutate()}>
        {skip.isPending ? "Skipping…" : skipButtonLabel(selected ? preview.data : undefined)}
      </Button>
      <div className="w-full">
        {selected ? (
          <SkipPreviewText preview={preview} label="What skipping the selected issues does" />
        ) : (
          <p className="text-sm text-slate-500">
            Select issues to skip their rows: resolved this way, their rows are not imported.
          </p>
        )}
      </div>
      {skip.error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {skip.error.message}
        </p>
      ) : null}
    </div>
  );
}
