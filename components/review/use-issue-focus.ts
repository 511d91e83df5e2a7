"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Issue } from "@/components/api/issues";
import { useIssueKeyboard } from "./use-issue-keyboard";

/** An issue as the review's table holds it: the keyboard selects it too. */
type IssueRow = { original: Issue; getCanSelect: () => boolean; toggleSelected: () => void };

/**
 * Which issue of the page, and which of its rows, the keyboard is on: arrows and j/k/h/l move
 * between issues (on to the next or previous page past either end) and rows, Enter edits the row, x
 * selects the issue. Put `listRef` on the list whose cards carry `data-issue-index`; `reset` when the
 * page shows other issues.
 */
export function useIssueFocus({
  rows,
  shown,
  page,
  pageCount,
  onPageChange,
}: {
  rows: readonly IssueRow[];
  /** The page's issues once they are in; not while another page is loading. */
  shown: readonly Issue[] | null | undefined;
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
}) {
  const [focusedIndex, setFocusedIndex] = useState(0);
  const [focusedRow, setFocusedRow] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<"first" | "last" | null>(null);
  const listHadFocus = useRef(false);

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
        onPageChange(page + 1);
      } else if (next < 0 && page > 1) {
        pendingFocus.current = "last";
        onPageChange(page - 1);
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

  const reset = () => {
    setFocusedIndex(0);
    setFocusedRow(0);
  };
  return { listRef, focusedIndex, focusedRow, onFocusIssue, reset };
}
