import "server-only";
import { findJobForWorker, updateJob } from "@/db/queries/jobs";
import { copyStagingChunk } from "@/db/queries/staging";
import {
  boundedCells,
  keptCells,
  malformedRow,
  readRecordBatches,
  recordFields,
  type CsvLayout,
  type CsvRecord,
} from "@/lib/csv";
import { getStorage } from "@/lib/storage";

/**
 * Where staging stands between chunks: small and JSON-safe, it is a step's recorded output. `staged`,
 * `malformed` and `blank` count the records read so far: well-formed ones staged, malformed ones staged as
 * MALFORMED_ROW rows, and blank ones passed over. `nextLine` is the file's line `offset` is on. The last
 * three may be left out of a run's first cursor (and are absent from one recorded before they existed).
 */
export type StageCursor = {
  chunk: number;
  offset: number;
  nextRow: number;
  staged: number;
  done: boolean;
  malformed?: number;
  blank?: number;
  nextLine?: number;
};

/**
 * A record as its staging row: the values of `STAGING_COLUMNS` (db/queries/staging.ts), in order. A malformed record keeps all its
 * cells (its best split), its raw text and what is wrong with it, and takes its fields from those cells.
 */
export function stagingRow({
  jobId,
  companyId,
  record,
  layout,
}: {
  jobId: number;
  companyId: string;
  record: CsvRecord;
  layout: CsvLayout;
}) {
  const row = recordFields(record, layout);
  const malformed = record.malformed === undefined ? null : malformedRow(record.malformed);
  return [
    jobId,
    companyId,
    record.rowNumber,
    row.email,
    row.firstName,
    row.lastName,
    row.company,
    malformed ? boundedCells(record.cells) : keptCells(record, layout, row),
    malformed ? "MALFORMED_ROW" : row.check,
    malformed ? malformed.detail : (row.detail ?? null),
    malformed ? malformed.rawText : null,
    "READY",
  ] as const;
}

// Records read, normalised and encoded at a time while the database loads the previous batch.
export const BATCH_RECORDS = 2_000;

/**
 * Reads the next `chunkRows` records of the job's file from the cursor's byte offset (a ranged read,
 * so memory stays at one batch whatever the file size), normalises and checks them, and COPYs them
 * into staging as they are read, malformed ones as MALFORMED_ROW rows. The job's counts say where every
 * record went: staged + malformed + blank = records read (the total once the file is done). The rows a crashed attempt may have left from the cursor's first row
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
  const job = await findJobForWorker({ jobId });
  if (!job?.layout) throw new Error(`Job ${jobId} has no file layout to read`);
  const { layout, companyId } = job;
  const stream = await getStorage().read(job.storageKey, { start: cursor.offset });
  const reader = readRecordBatches(stream, layout, {
    startOffset: cursor.offset,
    firstRowNumber: cursor.nextRow,
    // A cursor without a line number is a run's first (or one recorded before line numbers were kept).
    firstLineNumber: cursor.nextLine ?? (cursor.chunk === 0 ? (layout.dataLine ?? 2) : cursor.nextRow),
    maxRecords: chunkRows,
    batchSize: BATCH_RECORDS,
  });
  let staged = 0;
  let malformed = 0;
  async function* rows() {
    for await (const records of reader.batches) {
      yield records.map((record) => {
        if (record.malformed === undefined) staged++;
        else malformed++;
        return stagingRow({ jobId, companyId, record, layout });
      });
    }
  }
  try {
    // What a crashed attempt left from the cursor's first row on goes first, in the same transaction.
    await copyStagingChunk({ jobId, fromRow: cursor.nextRow, rows: rows() });
  } finally {
    stream.destroy();
  }

  const position = reader.position();
  // Every record takes a row number: those that were neither staged nor malformed were blank.
  const blank = position.nextRowNumber - cursor.nextRow - staged - malformed;
  const totals = {
    staged: cursor.staged + staged,
    malformed: (cursor.malformed ?? 0) + malformed,
    blank: (cursor.blank ?? 0) + blank,
  };
  const records = totals.staged + totals.malformed + totals.blank;
  await updateJob({
    jobId,
    patch: {
      stagedRows: totals.staged,
      malformedRows: totals.malformed,
      blankRows: totals.blank,
      processedRows: records,
      processedBytes: position.done ? job.sizeBytes : position.endOffset,
      ...(position.done ? { totalRows: records } : {}),
    },
  });
  return {
    chunk: cursor.chunk + 1,
    offset: position.endOffset,
    nextRow: position.nextRowNumber,
    nextLine: position.nextLineNumber,
    ...totals,
    done: position.done,
  };
}
