"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type ReactNode } from "react";
import { resolveIssues, type ResolvedIssues } from "@/components/issues/api";
import { formatCount } from "@/components/jobs/format";
import { Button } from "@/components/ui/button";
import { skipButtonLabel } from "./outcome";
import { SkipPreviewText, useSkipPreview } from "./skip-preview";

/**
 * The selected issues resolved together without keeping a row, on the Issues page and a job's review:
 * before the button is pressed it says how many rows that skips (the server's count for exactly this
 * selection), and the button is named by it.
 */
export function SkipSelectedBar({
  companyId,
  issueIds,
  leading,
  onResolved,
}: {
  companyId: string;
  issueIds: readonly number[];
  /** Controls shown first, such as selecting a whole page. */
  leading?: ReactNode;
  onResolved: (result: ResolvedIssues) => Promise<void> | void;
}) {
  const [comment, setComment] = useState("");
  const commentId = useId();
  const preview = useSkipPreview(companyId, issueIds, true);
  const skip = useMutation({
    mutationFn: () => resolveIssues([...issueIds], comment.trim()),
    onSuccess: async (result) => {
      setComment("");
      await onResolved(result);
    },
  });
  const selected = issueIds.length > 0;
  return (
    <div role="group" aria-label="Skip rows of selected issues" className="flex flex-wrap items-center gap-3 rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-slate-200">
      {leading}
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
          <p className="text-sm text-slate-500">Select issues to skip their rows: resolved this way, their rows are not imported.</p>
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
