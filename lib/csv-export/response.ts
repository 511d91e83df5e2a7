import { attachmentDisposition } from "@/lib/storage/content";
import type { CsvRow } from "./encode";
import { csvStream } from "./stream";

/** A streamed CSV download (see csvStream): UTF-8 text/csv, saved under `fileName`, never cached. */
export function csvResponse({
  fileName,
  header,
  batches,
  onError,
}: {
  fileName: string;
  header: CsvRow;
  batches: AsyncIterable<readonly CsvRow[]>;
  onError?: (error: unknown) => void;
}): Response {
  return new Response(csvStream({ header, batches, onError }), {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachmentDisposition(fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** `<name without extension>-<suffix>.csv` for a download derived from an uploaded file (`contacts.csv` → `contacts-errors.csv`). */
export function derivedFileName({ original, suffix }: { original: string; suffix: string }): string {
  const base = original.split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const stem = (dot > 0 ? base.slice(0, dot) : base).replace(/[\u0000-\u001f\u007f"\\]/g, "").trim();
  return `${stem || "export"}-${suffix}.csv`;
}
