"use client";

import { LastChange } from "./last-change";
import { pageSelectionOf, SkipSelectedBar } from "./skip-selected";

/**
 * Above a list of issues: for an editor, the bar that skips the selected issues' rows (the selection
 * is let go once they are skipped), then the page's last change, read out as it happens.
 */
export function BulkSkip({
  companyId,
  editable,
  issueIds,
  table,
  clearSelection,
  announcement,
  announce,
}: {
  companyId: string;
  editable: boolean;
  issueIds: readonly number[];
  table: Parameters<typeof pageSelectionOf>[0];
  clearSelection: () => void;
  announcement: string;
  announce: (message: string) => void;
}) {
  return (
    <>
      {editable ? (
        <SkipSelectedBar
          companyId={companyId}
          issueIds={issueIds}
          page={pageSelectionOf(table)}
          onResolved={(message) => {
            clearSelection();
            announce(message);
          }}
        />
      ) : null}
      <LastChange announcement={announcement} />
    </>
  );
}
