import type { ResolutionPreview } from "@/components/api/issues";

/** Rows are named one by one up to this many (and only when they are of one job); beyond, the count says it. */
const NAMED_ROWS = 8;

const rowsWord = (count: number) => (count === 1 ? "row" : "rows");

function listed(numbers: readonly number[]): string {
  if (numbers.length === 1) return `row ${numbers[0]}`;
  return `rows ${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}

/** The rows a preview skips, by number, when they are few and of one job; null otherwise. */
function skippedRowNumbers(preview: ResolutionPreview): number[] | null {
  const skipped = preview.rows.filter((row) => row.status_after === "SKIPPED");
  if (skipped.length === 0 || skipped.length !== preview.rows_to_skip || skipped.length > NAMED_ROWS) return null;
  if (new Set(skipped.map((row) => row.staging_job_id)).size > 1) return null;
  return skipped.map((row) => row.staging_row_number);
}

/**
 * What resolving without keeping a row will do, in words, from the server's preview: how many rows
 * it skips (named when few), and how many were skipped already.
 */
export function describeSkip(preview: ResolutionPreview): string {
  const count = preview.rows_to_skip;
  const already = preview.rows_already_skipped;
  const alreadyText =
    already === 0 ? "" : ` ${already.toLocaleString("en")} more ${already === 1 ? "is" : "are"} skipped already.`;
  if (count === 0) return `No row will be skipped.${alreadyText}`;
  const numbers = skippedRowNumbers(preview);
  return (
    `${count.toLocaleString("en")} ${rowsWord(count)} will be skipped${numbers ? ` (${listed(numbers)})` : ""}: ` +
    `${count === 1 ? "it" : "they"} will not be imported.${alreadyText}`
  );
}

/** The button that resolves without keeping a row, named by what it does. */
export function skipButtonLabel(preview: ResolutionPreview | undefined): string {
  if (!preview) return "Skip these rows";
  const count = preview.rows_to_skip;
  return count === 0 ? "Resolve without skipping" : `Skip ${count.toLocaleString("en")} ${rowsWord(count)}`;
}

/** What a resolve that skipped rows did, for the page's announcement. */
export function describeSkipped({ resolved, rowsSkipped }: { resolved: number; rowsSkipped: number }): string {
  const issues = resolved === 1 ? "1 issue" : `${resolved.toLocaleString("en")} issues`;
  return `Resolved ${issues}; skipped ${rowsSkipped.toLocaleString("en")} ${rowsWord(rowsSkipped)}. Reopening an issue puts its rows back.`;
}
