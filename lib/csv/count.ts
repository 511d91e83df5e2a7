import { readRecordBatches } from "./records";
import type { CsvLayout } from "./types";

const COUNTING_BATCH_RECORDS = 2_000;
/** The header is row 1: data records are numbered from 2, as processing numbers them. */
const FIRST_DATA_ROW = 2;

/**
 * How many data records a whole file holds, counted as processing counts its job's `total_rows`: blank and
 * malformed records too, and a line break inside quotes does not end one. `source` yields the file's bytes
 * from `layout.dataOffset` on; records are cut a batch at a time, so memory stays at one batch.
 */
export async function countDataRecords(source: AsyncIterable<Buffer | Uint8Array>, layout: CsvLayout): Promise<number> {
  const reader = readRecordBatches(source, layout, {
    startOffset: layout.dataOffset,
    firstRowNumber: FIRST_DATA_ROW,
    firstLineNumber: layout.dataLine ?? FIRST_DATA_ROW,
    maxRecords: Number.POSITIVE_INFINITY,
    batchSize: COUNTING_BATCH_RECORDS,
  });
  // Only the row numbers matter: every record, blank or not, takes one.
  for await (const batch of reader.batches) void batch;
  return reader.position().nextRowNumber - FIRST_DATA_ROW;
}
