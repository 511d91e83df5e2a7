import "server-only";
import { getDatabase } from "@/db";
import { copyRows } from "@/db/copy";
import { findJob, updateJob } from "@/db/queries/jobs";
import { readRecords, recordFields } from "@/lib/csv";
import { getStorage } from "@/lib/storage";

/** Where staging stands between chunks: small and JSON-safe, it is a step's recorded output. */
export type StageCursor = { chunk: number; offset: number; nextRow: number; staged: number; done: boolean };

const STAGING_COLUMNS = [
  "job_id",
  "company_id",
  "row_number",
  "email",
  "first_name",
  "last_name",
  "company",
  "cells",
  "row_hash",
  "row_check",
  "status",
] as const;

/**
 * Reads the next `chunkRows` records of the job's file from the cursor's byte offset (a ranged read,
 * so memory stays at one chunk whatever the file size), normalises and checks them, and COPYs them
 * into staging. The rows a crashed attempt may have left for the same row numbers are deleted in the
 * same transaction, so running a chunk twice never duplicates a row.
 */
export async function stageChunk({
  jobId,
  cursor,
  chunkRows,
}: {
  jobId: number;
  cursor: StageCursor;
  chunkRows: number;
}): Promise<StageCursor> {
  const job = await findJob({ jobId });
  if (!job?.layout) throw new Error(`Job ${jobId} has no file layout to read`);
  const layout = job.layout;
  const stream = await getStorage().read(job.storageKey, { start: cursor.offset });
  let result;
  try {
    result = await readRecords(stream, layout, {
      startOffset: cursor.offset,
      firstRowNumber: cursor.nextRow,
      maxRecords: chunkRows,
    });
  } finally {
    stream.destroy();
  }

  const { records } = result;
  const first = records[0];
  const last = records.at(-1);
  if (first && last) {
    // Normalised as COPY consumes them, so the database parses one piece while the next is prepared.
    const rows = (function* () {
      for (const record of records) {
        const row = recordFields(record, layout);
        yield [
          jobId,
          job.companyId,
          record.rowNumber,
          row.email,
          row.firstName,
          row.lastName,
          row.company,
          record.cells,
          row.rowHash,
          row.check,
          "READY",
        ] as const;
      }
    })();
    await copyRows(await getDatabase(), {
      table: "staging_rows",
      columns: STAGING_COLUMNS,
      rows,
      before: {
        sql: "DELETE FROM staging_rows WHERE job_id = $1 AND row_number BETWEEN $2 AND $3",
        params: [jobId, first.rowNumber, last.rowNumber],
      },
    });
  }

  const staged = cursor.staged + records.length;
  await updateJob({
    jobId,
    patch: {
      stagedRows: staged,
      processedRows: staged,
      processedBytes: result.done ? job.sizeBytes : result.endOffset,
      ...(result.done ? { totalRows: staged } : {}),
    },
  });
  return { chunk: cursor.chunk + 1, offset: result.endOffset, nextRow: result.nextRowNumber, staged, done: result.done };
}
