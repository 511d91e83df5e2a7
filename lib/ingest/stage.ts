import "server-only";
import { getDatabase } from "@/db";
import { copyRows } from "@/db/copy";
import { findJob, updateJob } from "@/db/queries/jobs";
import { keptCells, readRecordBatches, recordFields, type CsvLayout, type CsvRecord } from "@/lib/csv";
import { getStorage } from "@/lib/storage";

/** Where staging stands between chunks: small and JSON-safe, it is a step's recorded output. */
export type StageCursor = { chunk: number; offset: number; nextRow: number; staged: number; done: boolean };

export const STAGING_COLUMNS = [
  "job_id",
  "company_id",
  "row_number",
  "email",
  "first_name",
  "last_name",
  "company",
  "cells",
  "row_check",
  "status",
] as const;

/** A record as its staging row: the values of `STAGING_COLUMNS`, in order. */
export function stagingRow({ jobId, companyId, record, layout }: { jobId: number; companyId: string; record: CsvRecord; layout: CsvLayout }) {
  const row = recordFields(record, layout);
  return [
    jobId,
    companyId,
    record.rowNumber,
    row.email,
    row.firstName,
    row.lastName,
    row.company,
    keptCells(record, layout, row),
    row.check,
    "READY",
  ] as const;
}

// Records read, normalised and encoded at a time while the database loads the previous batch.
export const BATCH_RECORDS = 2_000;

/**
 * Reads the next `chunkRows` records of the job's file from the cursor's byte offset (a ranged read,
 * so memory stays at one batch whatever the file size), normalises and checks them, and COPYs them
 * into staging as they are read. The rows a crashed attempt may have left from the cursor's first row
 * on are deleted in the same transaction, so running a chunk twice never duplicates a row.
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
  const { layout, companyId } = job;
  const stream = await getStorage().read(job.storageKey, { start: cursor.offset });
  const reader = readRecordBatches(stream, layout, {
    startOffset: cursor.offset,
    firstRowNumber: cursor.nextRow,
    maxRecords: chunkRows,
    batchSize: BATCH_RECORDS,
  });
  let staged = 0;
  async function* rows() {
    for await (const records of reader.batches) {
      staged += records.length;
      yield records.map((record) => stagingRow({ jobId, companyId, record, layout }));
    }
  }
  try {
    await copyRows(await getDatabase(), {
      table: "staging_rows",
      columns: STAGING_COLUMNS,
      rows: rows(),
      // The chunk's last row number is known only once it is read; nothing after this chunk's first
      // row can be staged yet (chunks run in order), so whatever is there is a crashed attempt's.
      before: { sql: "DELETE FROM staging_rows WHERE job_id = $1 AND row_number >= $2", params: [jobId, cursor.nextRow] },
    });
  } finally {
    stream.destroy();
  }

  const position = reader.position();
  const total = cursor.staged + staged;
  await updateJob({
    jobId,
    patch: {
      stagedRows: total,
      processedRows: total,
      processedBytes: position.done ? job.sizeBytes : position.endOffset,
      ...(position.done ? { totalRows: total } : {}),
    },
  });
  return { chunk: cursor.chunk + 1, offset: position.endOffset, nextRow: position.nextRowNumber, staged: total, done: position.done };
}
