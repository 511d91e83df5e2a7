"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import {
  fetchIssue,
  issuesKey,
  keepExistingContact,
  keepRow,
  resolveIssues,
  updateIssue,
  type Issue,
  type SavedStagingRow,
  type StagingField,
  type StagingRow,
} from "@/components/api/issues";
import {
  ISSUE_TYPE_HINTS,
  ISSUE_TYPE_LABELS,
  issueSubject,
  IssueTypeBadge,
  ResolutionBadge,
} from "@/components/review/issue-type";
import { RelativeTime } from "@/components/ui/relative-time";
import { ActionButton } from "@/components/ui/action-button";
import { formatCount } from "@/lib/format/numbers";
import { FIELD_DEFINITIONS } from "./fields";
import { IssueRows } from "./issue-rows";
import { describeSkipped, skipButtonLabel } from "./outcome";
import { RowProblems } from "./row-problems";
import { SkipPreviewText, useSkipPreview } from "./skip-preview";
import { FormAlert } from "@/components/ui/form-alert";

const KEPT_EXISTING = "Kept the existing contact";

export type IssueCardProps = {
  companyId: string;
  issue: Issue;
  index: number;
  focused: boolean;
  focusedRow: number;
  selected: boolean;
  selectable: boolean;
  /** An editor, on a job waiting for review. */
  editable: boolean;
  onSelectedChange: (selected: boolean) => void;
  onFocusIssue: (index: number) => void;
  announce: (message: string) => void;
  refresh: () => Promise<void>;
};

function describeSaved(saved: SavedStagingRow, field: StagingField): string {
  const definition = FIELD_DEFINITIONS[field];
  const value = saved[definition.rowKey];
  const left =
    saved.open_issues.length === 0
      ? "It has no open issues left."
      : `Still open on it: ${saved.open_issues.map((open) => ISSUE_TYPE_LABELS[open.issue_type].toLowerCase()).join(", ")}.`;
  return `Saved row ${saved.staging_row_number}: ${definition.label.toLowerCase()} is now ${value ? `“${value}”` : "empty"}. ${left}`;
}

/**
 * One issue: what it is, what the file said where a row could not be read, its rows side by side
 * (editable in place), and what can be done about it, each control named by its outcome: keep a row
 * (the others are skipped), keep the existing contact, skip these rows (told first how many, by the
 * server), reopen (the rows come back as they were). Focusable as a whole so the keyboard can move
 * between issues.
 */
export function IssueCard({
  companyId,
  issue,
  index,
  focused,
  focusedRow,
  selected,
  selectable,
  editable,
  onSelectedChange,
  onFocusIssue,
  announce,
  refresh,
}: IssueCardProps) {
  const titleId = useId();
  const commentId = useId();
  const [resolving, setResolving] = useState(false);
  const [comment, setComment] = useState("");
  const [showAll, setShowAll] = useState(false);

  const truncated = issue.affected_row_count > issue.affected_rows.length;
  const full = useQuery({
    queryKey: [...issuesKey(companyId), "issue", issue.issue_id],
    queryFn: ({ signal }) => fetchIssue(issue.issue_id, signal),
    enabled: showAll && truncated,
  });
  const rows = showAll && full.data ? full.data.affected_rows : issue.affected_rows;
  const existing = (showAll && full.data ? full.data.existing_contact : issue.existing_contact) ?? null;

  const open = !issue.issue_resolved;
  const skipPreview = useSkipPreview(companyId, [issue.issue_id], editable && open && resolving);

  const keep = useMutation({
    mutationFn: (row: StagingRow) => keepRow(issue.issue_id, row.staging_id, comment.trim() || undefined),
    onSuccess: async (_issue, row) => {
      announce(
        `Kept row ${row.staging_row_number}; the issue's other rows are skipped and the issue is resolved. Reopening it puts them back.`,
      );
      await refresh();
    },
  });
  const keepExisting = useMutation({
    mutationFn: () => keepExistingContact(issue.issue_id, comment.trim() || KEPT_EXISTING),
    onSuccess: async () => {
      announce("Kept the existing contact; the file's rows for it are skipped and the issue is resolved.");
      await refresh();
    },
  });
  // Through the bulk endpoint, which says how many rows it skipped.
  const resolve = useMutation({
    mutationFn: () => resolveIssues([issue.issue_id], comment.trim()),
    onSuccess: async (result) => {
      setResolving(false);
      setComment("");
      announce(describeSkipped({ resolved: result.resolved, rowsSkipped: result.rows_skipped }));
      await refresh();
    },
  });
  const reopen = useMutation({
    mutationFn: () => updateIssue(issue.issue_id, { resolved: false }),
    onSuccess: async () => {
      announce(`Reopened issue #${issue.issue_id}; its rows are back as they were before it was resolved.`);
      await refresh();
    },
  });

  const busy = keep.isPending || keepExisting.isPending || resolve.isPending || reopen.isPending;
  const error = keep.error ?? keepExisting.error ?? resolve.error ?? reopen.error;
  const choosable =
    editable && open && (issue.issue_type === "DUPLICATE_EMAIL" || issue.issue_type === "CONTACT_CONFLICT");

  const onSaved = async (saved: SavedStagingRow, field: StagingField) => {
    announce(describeSaved(saved, field));
    await refresh();
  };

  return (
    <article
      id={`issue-${issue.issue_id}`}
      data-issue-index={index}
      tabIndex={focused ? 0 : -1}
      aria-labelledby={titleId}
      onFocus={() => onFocusIssue(index)}
      onKeyDown={(event: KeyboardEvent<HTMLElement>) => {
        // Escape on the comment box closes it (and stays on the issue).
        if (event.key === "Escape" && resolving && event.target instanceof HTMLTextAreaElement) {
          event.stopPropagation();
          setResolving(false);
        }
      }}
      className={`rounded-lg bg-white p-5 shadow-sm ring-1 outline-none ${focused ? "ring-2 ring-indigo-500" : "ring-slate-200"}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-start gap-3">
          {selectable ? (
            <input
              type="checkbox"
              checked={selected}
              onChange={(event) => onSelectedChange(event.currentTarget.checked)}
              aria-label={`Select issue #${issue.issue_id}`}
              className="mt-1 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
            />
          ) : null}
          <div className="min-w-0 space-y-1">
            <h2 id={titleId} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
              <IssueTypeBadge type={issue.issue_type} />
              <span className="break-all">{issueSubject(issue)}</span>
              <span className="sr-only">, issue #{issue.issue_id}</span>
            </h2>
            {issue.issue_description ? <p className="text-sm text-slate-600">{issue.issue_description}</p> : null}
            {open && editable ? <p className="text-xs text-slate-500">{ISSUE_TYPE_HINTS[issue.issue_type]}</p> : null}
          </div>
        </div>
        <div className="flex flex-col items-end gap-1 text-xs text-slate-500">
          <ResolutionBadge resolved={issue.issue_resolved} />
          <span>
            #{issue.issue_id} · {formatCount(issue.affected_row_count)} row{issue.affected_row_count === 1 ? "" : "s"}
          </span>
        </div>
      </div>

      {issue.issue_resolved ? (
        <p className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          Resolved{issue.issue_resolved_by ? ` by ${issue.issue_resolved_by}` : ""}
          {issue.issue_resolved_at ? (
            <>
              {" "}
              <RelativeTime iso={issue.issue_resolved_at} />
            </>
          ) : null}
          {issue.issue_resolution_comment ? `: ${issue.issue_resolution_comment}` : "."}
        </p>
      ) : null}

      <RowProblems rows={rows} />

      <div className="mt-4">
        <IssueRows
          issueId={issue.issue_id}
          rows={rows}
          existing={existing}
          editable={editable && open}
          choosable={choosable}
          focusedRow={focused ? focusedRow : null}
          busy={busy}
          onSaved={onSaved}
          onKeep={(row) => keep.mutate(row)}
          onKeepExisting={() => keepExisting.mutate()}
        />
      </div>

      {truncated ? (
        <div className="mt-2 flex items-center gap-3 text-xs text-slate-500">
          <span>
            Showing {formatCount(rows.length)} of {formatCount(issue.affected_row_count)} rows.
          </span>
          {showAll ? null : (
            <ActionButton onClick={() => setShowAll(true)}>
              Show all {formatCount(issue.affected_row_count)} rows
            </ActionButton>
          )}
          {full.isFetching ? <span>Loading…</span> : null}
          {full.isError ? (
            <span role="alert" className="text-red-700">
              {full.error.message}
            </span>
          ) : null}
        </div>
      ) : null}

      {error ? <FormAlert className="mt-3">{error.message}</FormAlert> : null}

      {editable ? (
        <div className="mt-4 border-t border-slate-100 pt-3">
          {open && resolving ? (
            <form
              className="space-y-2"
              onSubmit={(event) => {
                event.preventDefault();
                resolve.mutate();
              }}
            >
              <SkipPreviewText
                preview={skipPreview}
                label={`What skipping the rows of issue #${issue.issue_id} does`}
              />
              <label htmlFor={commentId} className="block text-sm font-medium text-slate-700">
                Comment (optional)
              </label>
              <textarea
                id={commentId}
                // The person just asked to skip the rows: the comment is what comes next.
                autoFocus
                rows={2}
                value={comment}
                onChange={(event) => setComment(event.currentTarget.value)}
                placeholder="Why these rows are not imported"
                className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:ring-inset"
              />
              <div className="flex gap-2">
                <ActionButton type="submit" disabled={busy || !skipPreview.data}>
                  {resolve.isPending ? "Skipping…" : skipButtonLabel(skipPreview.data)}
                </ActionButton>
                <ActionButton onClick={() => setResolving(false)} disabled={busy}>
                  Cancel
                </ActionButton>
              </div>
            </form>
          ) : open ? (
            <ActionButton
              disabled={busy}
              onClick={() => {
                resolve.reset();
                setResolving(true);
              }}
            >
              Skip these rows…
            </ActionButton>
          ) : (
            <div className="flex flex-wrap items-center gap-3">
              <ActionButton disabled={busy} onClick={() => reopen.mutate()}>
                {reopen.isPending ? "Reopening…" : "Reopen"}
                <span className="sr-only"> issue #{issue.issue_id}</span>
              </ActionButton>
              <span className="text-xs text-slate-500">
                Reopening puts back the rows its resolution skipped or kept.
              </span>
            </div>
          )}
        </div>
      ) : null}
    </article>
  );
}
