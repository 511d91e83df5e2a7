"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { updateStagingRow, type SavedStagingRow, type StagingField, type StagingRow } from "@/components/api/issues";
import { ActionButton } from "@/components/ui/action-button";
import { emailProblem } from "@/lib/csv/email";
import { FIELD_DEFINITIONS } from "./fields";

/** What is wrong with a value typed into a field, checked as the server checks it; null when fine. */
function problemWith(field: StagingField, value: string): string | null {
  return field === "email" ? emailProblem(value) : null;
}

/**
 * One cell of a staging row: its value, and (for an editor, while the job is in review) a button
 * that turns it into an input in place. The email is checked as you type with the server's own
 * rule; Enter saves, Escape cancels.
 */
export function EditableCell({
  row,
  field,
  editable,
  onSaved,
}: {
  row: StagingRow;
  field: StagingField;
  editable: boolean;
  onSaved: (saved: SavedStagingRow, field: StagingField) => Promise<void> | void;
}) {
  const definition = FIELD_DEFINITIONS[field];
  const value = row[definition.rowKey];
  const [draft, setDraft] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const problemId = useId();
  const name = `${definition.label} of row ${row.staging_row_number}`;

  const save = useMutation({
    mutationFn: (next: string) => updateStagingRow(row.staging_id, { [field]: next }),
    onSuccess: async (saved) => {
      setDraft(null);
      await onSaved(saved, field);
    },
  });

  // Back on the cell's button once editing ends, so the keyboard carries on from where it was.
  useEffect(() => {
    if (draft === null && wasEditing.current) buttonRef.current?.focus();
    wasEditing.current = draft !== null;
  }, [draft]);

  if (draft === null) {
    const shown = value ?? "";
    if (!editable) return <span className={shown ? "[overflow-wrap:anywhere]" : "text-slate-400"}>{shown || "—"}</span>;
    return (
      <button
        ref={buttonRef}
        type="button"
        data-edit-row={row.staging_id}
        data-edit-field={field}
        aria-label={`Edit ${definition.label.toLowerCase()} of row ${row.staging_row_number} (${shown || "empty"})`}
        onClick={() => {
          save.reset();
          setDraft(shown);
        }}
        className="-mx-1 w-full rounded px-1 py-0.5 text-left [overflow-wrap:anywhere] hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {shown || <span className="text-slate-400">—</span>}
      </button>
    );
  }

  const problem = problemWith(field, draft);
  const cancel = () => {
    save.reset();
    setDraft(null);
  };
  return (
    <form
      className="min-w-56 space-y-1"
      onSubmit={(event) => {
        event.preventDefault();
        if (problem || save.isPending) return;
        if (draft.trim() === (value ?? "")) cancel();
        else save.mutate(draft.trim());
      }}
    >
      <input
        // Opening the editor is asking to type: focus belongs here.
        autoFocus
        aria-label={name}
        value={draft}
        disabled={save.isPending}
        aria-invalid={problem !== null}
        aria-describedby={problemId}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            cancel();
          }
        }}
        className="block w-full rounded-md border-0 px-2 py-1 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:ring-inset aria-[invalid=true]:ring-red-500"
      />
      <p id={problemId} aria-live="polite" className="text-xs text-red-700">
        {problem}
      </p>
      {save.error ? (
        <p role="alert" className="text-xs text-red-700">
          {save.error.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <ActionButton type="submit" disabled={problem !== null || save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
          <span className="sr-only"> {name}</span>
        </ActionButton>
        <ActionButton onClick={cancel} disabled={save.isPending}>
          Cancel<span className="sr-only"> editing {name}</span>
        </ActionButton>
      </div>
    </form>
  );
}
