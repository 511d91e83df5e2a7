import { ActionButton } from "@/components/ui/action-button";
import { formatCount } from "@/lib/format/numbers";

/**
 * Previous / next for a list paged by the server. `busy` (the next page is still loading) holds
 * "Next" back so that a double click does not skip a page.
 */
export function Pagination({
  page,
  pageCount,
  onPageChange,
  busy = false,
  label = "Pagination",
  summary,
}: {
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  busy?: boolean;
  label?: string;
  summary?: string;
}) {
  return (
    <nav
      aria-label={label}
      className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4"
    >
      <p className="text-sm text-slate-600">
        Page {formatCount(page)} of {formatCount(pageCount)}
        {summary ? <span className="text-slate-500"> · {summary}</span> : null}
      </p>
      <div className="flex gap-2">
        <ActionButton onClick={() => onPageChange(page - 1)} disabled={page <= 1}>
          Previous
        </ActionButton>
        <ActionButton onClick={() => onPageChange(page + 1)} disabled={page >= pageCount || busy}>
          Next
        </ActionButton>
      </div>
    </nav>
  );
}

export function pageCountOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
