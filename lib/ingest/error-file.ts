import "server-only";
import { listErrorRows, widestErrorRow, type ErrorRow } from "@/db/queries/job-errors";
import type { Job } from "@/db/schema";
import { keysetBatches, type CsvRow } from "@/lib/csv-export";
import { cellsFromFields, extraColumnName } from "@/lib/csv/normalise";

export const ERROR_COLUMNS = ["error_code", "error_message"] as const;
const BATCH_ROWS = 2_000;

/**
 * A job's error file: the rows that had issues (resolved or not), in row order, with their original
 * cells under the file's own headers, then `error_code` and `error_message` (a row's several issues
 * joined with "; "). Rows are read from the database a batch at a time as the file is sent.
 */
export async function errorFile({
  job,
  batchRows = BATCH_ROWS,
}: {
  job: Pick<Job, "id" | "companyId" | "layout">;
  batchRows?: number;
}): Promise<{
  header: CsvRow;
  batches: AsyncIterable<CsvRow[]>;
}> {
  const layout = job.layout;
  const headers = layout?.headers ?? [];
  const width = Math.max(headers.length, await widestErrorRow({ jobId: job.id, companyId: job.companyId }));
  const columns = Array.from({ length: width }, (_, index) => headers[index] ?? extraColumnName(index));

  async function* batches(): AsyncGenerator<CsvRow[]> {
    for await (const rows of keysetBatches({
      limit: batchRows,
      fetch: ({ after, limit }) =>
        listErrorRows({ jobId: job.id, companyId: job.companyId, afterRowNumber: after ?? 0, limit }),
      keyOf: (row: ErrorRow) => row.rowNumber,
    })) {
      yield rows.map((row) => {
        const cells = row.cells ?? (layout ? cellsFromFields(row, layout) : null) ?? [];
        return [...columns.map((_, index) => cells[index] ?? ""), row.codes, row.messages];
      });
    }
  }
  return { header: [...columns, ...ERROR_COLUMNS], batches: batches() };
}
