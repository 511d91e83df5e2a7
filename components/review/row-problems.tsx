import type { StagingRow } from "@/components/api/issues";
import { visibleWhitespace } from "./raw-text";

/**
 * What a row's check found, in words, and, for a record the file's quoting or column count broke, its
 * text exactly as read (monospace, whitespace shown, scrolling when long): what the cells below were
 * guessed from.
 */
export function RowProblems({ rows }: { rows: readonly StagingRow[] }) {
  const shown = rows.filter((row) => row.staging_raw_text || row.staging_check_detail);
  if (shown.length === 0) return null;
  return (
    <div className="mt-4 space-y-3">
      {shown.map((row) => (
        <figure key={row.staging_id} className="space-y-1">
          <figcaption className="text-xs text-slate-600">
            <span className="font-medium text-slate-700">Row {row.staging_row_number}</span>
            {row.staging_check_detail ? `: ${row.staging_check_detail}` : null}
          </figcaption>
          {row.staging_raw_text ? (
            <pre
              // Scrollable: reachable by keyboard.
              tabIndex={0}
              aria-label={`Row ${row.staging_row_number} as read from the file`}
              className="max-h-48 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs whitespace-pre text-slate-800 ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {visibleWhitespace(row.staging_raw_text)}
            </pre>
          ) : null}
        </figure>
      ))}
    </div>
  );
}
