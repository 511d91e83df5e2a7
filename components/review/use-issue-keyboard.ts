"use client";

import { useEffect, useRef, type RefObject } from "react";

export type IssueKeyboardActions = {
  /** Up/down (or k/j) between issues. */
  moveIssue: (delta: 1 | -1) => void;
  /** Left/right (or h/l) between the focused issue's rows. */
  moveRow: (delta: 1 | -1) => void;
  /** Enter on an issue: edit its focused row. */
  edit: () => void;
  /** x: select or unselect the focused issue. */
  toggleSelected: () => void;
};

/** Keys typed into a field are the field's own. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return target instanceof HTMLInputElement && target.type !== "checkbox" && target.type !== "radio";
}

/**
 * The review page's keyboard: anywhere in `container` (or with nothing focused), arrows and j/k/h/l
 * move between issues and rows, Enter on an issue edits its focused row, x selects it. Escape is
 * handled by whatever is being edited.
 */
export function useIssueKeyboard(container: RefObject<HTMLElement | null>, actions: IssueKeyboardActions): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const target = event.target;
      const onPage =
        target === document.body || (target instanceof Node && container.current?.contains(target) === true);
      if (!onPage) return;
      const onIssue =
        target === document.body || (target instanceof HTMLElement && target.dataset.issueIndex !== undefined);
      const act = latest.current;
      switch (event.key) {
        case "ArrowDown":
        case "j":
          act.moveIssue(1);
          break;
        case "ArrowUp":
        case "k":
          act.moveIssue(-1);
          break;
        case "ArrowRight":
        case "l":
          act.moveRow(1);
          break;
        case "ArrowLeft":
        case "h":
          act.moveRow(-1);
          break;
        case "Enter":
          // Enter on a button is the button's; on the issue itself it means "edit".
          if (!onIssue) return;
          act.edit();
          break;
        case "x":
          act.toggleSelected();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [container]);
}
