"use client";

import { functionalUpdate, type RowSelectionState, type Updater } from "@tanstack/react-table";
import { useState } from "react";

/** A table's row selection held by its page, for `state.rowSelection` and `onRowSelectionChange`. */
export function useRowSelection() {
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  return {
    rowSelection,
    /** The ids of the selected rows, selectable still or not. */
    selectedIds: Object.keys(rowSelection).filter((id) => rowSelection[id]),
    onRowSelectionChange: (updater: Updater<RowSelectionState>) =>
      setRowSelection((previous) => functionalUpdate(updater, previous)),
    clear: () => setRowSelection({}),
  };
}
