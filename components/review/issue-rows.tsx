"use client";

import { useId } from "react";
import type { Contact } from "@/components/api/contacts";
import type { SavedStagingRow, StagingField, StagingRow } from "@/components/api/issues";
import { StagingStatusText } from "@/components/review/issue-type";
import { ActionButton } from "@/components/ui/action-button";
import { EditableCell } from "./editable-cell";
import { differingFields, FIELDS } from "./fields";

const DIFFERS = "bg-amber-50";
const INVALID = "bg-red-50";

/**
 * An issue's rows side by side (one column each, the fields down the side), with the existing
 * contact alongside for a conflict. Where they do not all say the same thing the cells are
 * highlighted and the field is marked "differs"; a bad email is marked in red. Where one row (or the
 * existing contact) can be chosen, what each choice does is said beside the buttons.
 */
export function IssueRows({
  issueId,
  rows,
  existing,
  editable,
  choosable,
  focusedRow,
  busy,
  onSaved,
  onKeep,
  onKeepExisting,
}: {
  issueId: number;
  rows: readonly StagingRow[];
  existing: Contact | null;
  editable: boolean;
  /** One row (or the existing contact) can be chosen: duplicates and conflicts. */
  choosable: boolean;
  focusedRow: number | null;
  busy: boolean;
  onSaved: (saved: SavedStagingRow, field: StagingField) => Promise<void> | void;
  onKeep: (row: StagingRow) => void;
  onKeepExisting: () => void;
}) {
  const differing = differingFields(rows, existing);
  const outcomeId = useId();
  return (
    <div className="overflow-x-auto">
      <table className="text-sm">
        <caption className="sr-only">
          Rows of issue #{issueId}
          {existing ? ", with the existing contact" : ""}
        </caption>
        <thead>
          <tr className="border-b border-slate-200 text-left">
            <th scope="col" className="w-28 py-2 pr-4 text-xs font-medium text-slate-500">
              <span className="sr-only">Field</span>
            </th>
            {rows.map((row, index) => (
              <th
                key={row.staging_id}
                scope="col"
                aria-current={focusedRow === index ? "true" : undefined}
                className={`min-w-56 px-3 py-2 align-bottom font-medium text-slate-900 ${focusedRow === index ? "bg-indigo-50 ring-1 ring-indigo-300 ring-inset" : ""}`}
              >
                <span className="block">Row {row.staging_row_number}</span>
                <StagingStatusText status={row.staging_status} />
              </th>
            ))}
            {existing ? (
              <th
                scope="col"
                className="min-w-56 border-l border-slate-200 px-3 py-2 align-bottom font-medium text-violet-900"
              >
                <span className="block">Existing contact</span>
                <span className="text-xs font-normal text-slate-500">
                  {existing.contact_last_job_id
                    ? `last changed by job #${existing.contact_last_job_id}`
                    : "in your contacts"}
                </span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {FIELDS.map((definition) => {
            const differs = differing.has(definition.field);
            return (
              <tr key={definition.field} className="border-b border-slate-100 last:border-0">
                <th
                  scope="row"
                  className="py-2 pr-4 text-left align-top text-xs font-medium whitespace-nowrap text-slate-500"
                >
                  {definition.label}
                  {differs ? <span className="mt-0.5 block font-semibold text-amber-700">differs</span> : null}
                </th>
                {rows.map((row, index) => {
                  const invalid = definition.field === "email" && row.staging_row_check !== "OK";
                  return (
                    <td
                      key={row.staging_id}
                      className={`px-3 py-2 align-top ${invalid ? INVALID : differs ? DIFFERS : ""} ${focusedRow === index ? "ring-1 ring-indigo-200 ring-inset" : ""}`}
                    >
                      <EditableCell row={row} field={definition.field} editable={editable} onSaved={onSaved} />
                    </td>
                  );
                })}
                {existing ? (
                  <td
                    className={`border-l border-slate-200 px-3 py-2 align-top [overflow-wrap:anywhere] ${differs ? DIFFERS : ""}`}
                  >
                    {existing[definition.contactKey] ?? <span className="text-slate-400">—</span>}
                  </td>
                ) : null}
              </tr>
            );
          })}
          {choosable ? (
            <tr>
              <th scope="row" className="py-2 pr-4 text-left text-xs font-medium text-slate-500">
                <span className="sr-only">Choose</span>
              </th>
              {rows.map((row) => (
                <td key={row.staging_id} className="px-3 py-2">
                  <ActionButton disabled={busy} onClick={() => onKeep(row)} aria-describedby={outcomeId}>
                    Keep this row<span className="sr-only"> (row {row.staging_row_number})</span>
                  </ActionButton>
                </td>
              ))}
              {existing ? (
                <td className="border-l border-slate-200 px-3 py-2">
                  <ActionButton disabled={busy} onClick={onKeepExisting} aria-describedby={outcomeId}>
                    Keep the existing contact
                  </ActionButton>
                </td>
              ) : null}
            </tr>
          ) : null}
        </tbody>
      </table>
      {choosable ? (
        <p id={outcomeId} className="mt-2 text-xs text-slate-500">
          Keep this row: it is imported and the issue&apos;s other rows are skipped.
          {existing
            ? " Keep the existing contact: the contact stays as it is and every row here is skipped."
            : null}{" "}
          Reopening the issue puts the rows back.
        </p>
      ) : null}
    </div>
  );
}
