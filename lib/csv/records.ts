import { isBlankRecord, splitRecords } from "./cells";
import { asBuffer, decodeBytes } from "./encoding";
import { RecordScanner } from "./scanner";
import type { CsvLayout, CsvRecord } from "./types";

export type ReadRecordsOptions = {
  /** Absolute byte offset the source starts at (`layout.dataOffset` for the first call, then the last `endOffset`). */
  startOffset: number;
  /** Row number of the first record at `startOffset` (2 for the first data record: the header is row 1). */
  firstRowNumber: number;
  /** Stop once this many non-blank records have been read. */
  maxRecords: number;
};

export type ReadRecordsResult = {
  /** The non-blank records read, in file order. */
  records: CsvRecord[];
  /** Absolute byte offset just after the last record consumed: where the next call starts. */
  endOffset: number;
  /** Row number of the record at `endOffset`. */
  nextRowNumber: number;
  /**
   * The source is exhausted and every record in it consumed. False when the call stopped at `maxRecords`, even if
   * nothing but blank lines follows (the next call then returns no records and `done`).
   */
  done: boolean;
};

type Source = AsyncIterable<Buffer | Uint8Array>;

/** A record cut from the byte stream and decoded, not yet split into cells. */
type RecordText = { rowNumber: number; text: string };

/**
 * Cuts records off a stream of chunks. Each chunk is scanned in place (the scanner keeps its state between
 * chunks); only a record that spans chunks is copied, once, when its end is found. So memory stays around one
 * chunk plus the record being read, and a long record costs linear time even in tiny chunks.
 */
class RecordCutter {
  /** Bytes of the current record that came in earlier chunks. */
  private parts: Buffer[] = [];
  /** The chunk being scanned. */
  private current: Buffer = Buffer.alloc(0);
  /** Where the current record starts in `current` (0 when it started in an earlier chunk). */
  private recordStart = 0;
  /** Where scanning resumes in `current`. */
  private scanFrom = 0;
  /** Absolute offset of the start of the current record. */
  private recordOffset: number;
  private readonly scanner: RecordScanner;
  rowNumber: number;

  constructor(
    private readonly layout: CsvLayout,
    startOffset: number,
    firstRowNumber: number,
  ) {
    this.scanner = new RecordScanner(layout.encoding, layout.delimiter, layout.newline);
    this.recordOffset = startOffset;
    this.rowNumber = firstRowNumber;
  }

  /** Absolute offset just after the last record cut. */
  get offset(): number {
    return this.recordOffset;
  }

  append(chunk: Buffer | Uint8Array): void {
    if (chunk.length === 0) return;
    const bytes = asBuffer(chunk);
    // A UTF-16 code unit cut in two by the chunk boundary: its first byte moves on with the new chunk.
    const unscanned = this.current.subarray(this.scanFrom);
    const kept = this.current.subarray(this.recordStart, this.scanFrom);
    if (kept.length > 0) this.parts.push(kept);
    this.current = unscanned.length > 0 ? Buffer.concat([unscanned, bytes]) : bytes;
    this.recordStart = 0;
    this.scanFrom = 0;
  }

  /** The next complete record, blank or not, or undefined until more bytes arrive. */
  next(): RecordText | undefined {
    const end = this.scanner.findEnd(this.current, this.scanFrom);
    if (end < 0) {
      this.scanFrom = this.scanner.resumeAt;
      return undefined;
    }
    return this.cut(end, true);
  }

  /** At the end of the source: the final record when the file does not end with a newline. */
  last(): RecordText | undefined {
    if (this.parts.length === 0 && this.recordStart >= this.current.length) return undefined;
    return this.cut(this.current.length, false);
  }

  private cut(end: number, endsWithNewline: boolean): RecordText {
    const tail = this.current.subarray(this.recordStart, end);
    const bytes = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    const contentEnd = this.scanner.contentEnd(bytes, 0, bytes.length, endsWithNewline);
    const record = { rowNumber: this.rowNumber++, text: decodeBytes(bytes, this.layout.encoding, 0, contentEnd) };
    this.parts = [];
    this.recordStart = end;
    this.scanFrom = end;
    this.recordOffset += bytes.length;
    return record;
  }
}

/**
 * Pulls chunks from `iterator` until `cutter` has given `maxRecords` non-blank records or the source ends.
 * Never pulls a chunk it does not need.
 */
async function collect(
  iterator: AsyncIterator<Buffer | Uint8Array>,
  cutter: RecordCutter,
  layout: CsvLayout,
  maxRecords: number,
): Promise<{ records: CsvRecord[]; done: boolean }> {
  const { delimiter, newline } = layout;
  const taken: RecordText[] = [];
  const take = (record: RecordText | undefined): boolean => {
    if (record === undefined) return false;
    if (!isBlankRecord(record.text, delimiter, newline)) taken.push(record);
    return true;
  };
  let done = false;
  while (taken.length < maxRecords) {
    if (take(cutter.next())) continue;
    const step = await iterator.next();
    if (step.done === true) {
      take(cutter.last());
      done = true;
      break;
    }
    cutter.append(step.value);
  }
  const cells = splitRecords(
    taken.map((record) => record.text),
    delimiter,
    newline,
  );
  const records = taken.map((record, index) => ({ rowNumber: record.rowNumber, cells: cells[index] ?? [""] }));
  return { records, done };
}

/** Where a read stopped: the offset and row number to carry on from, and whether the source is used up. */
export type ReadPosition = Omit<ReadRecordsResult, "records">;

/**
 * Reads up to `maxRecords` non-blank records from `source` (the file's raw bytes from `startOffset`) in
 * batches of up to `batchSize`, so a consumer can work on one batch while the next is read. `position()`
 * says where the read stopped once the batches are used up (or abandoned). Blank records are skipped but
 * still use up a row number.
 */
export function readRecordBatches(
  source: Source,
  layout: CsvLayout,
  options: ReadRecordsOptions & { batchSize: number },
): { batches: AsyncGenerator<CsvRecord[], void, undefined>; position: () => ReadPosition } {
  const { startOffset, firstRowNumber, maxRecords, batchSize } = options;
  if (!(maxRecords >= 1)) throw new RangeError(`maxRecords must be at least 1, got ${maxRecords}`);
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  const cutter = new RecordCutter(layout, startOffset, firstRowNumber);
  let done = false;
  async function* batches(): AsyncGenerator<CsvRecord[], void, undefined> {
    const iterator = source[Symbol.asyncIterator]();
    let left = maxRecords;
    try {
      while (!done && left > 0) {
        const result = await collect(iterator, cutter, layout, Math.min(batchSize, left));
        done = result.done;
        left -= result.records.length;
        if (result.records.length > 0) yield result.records;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { batches: batches(), position: () => ({ endOffset: cutter.offset, nextRowNumber: cutter.rowNumber, done }) };
}

/**
 * Reads up to `maxRecords` non-blank records from `source`, which yields the file's raw bytes starting at
 * `startOffset`. Call again with `endOffset` and `nextRowNumber` to carry on where this call stopped.
 */
export async function readRecords(
  source: Source,
  layout: CsvLayout,
  options: ReadRecordsOptions,
): Promise<ReadRecordsResult> {
  const reader = readRecordBatches(source, layout, { ...options, batchSize: options.maxRecords });
  const records: CsvRecord[] = [];
  for await (const batch of reader.batches) records.push(...batch);
  return { records, ...reader.position() };
}

/**
 * Reads a whole file in one pass, yielding batches of up to `batchSize` non-blank records (the last one may be
 * shorter; an empty source yields nothing).
 */
export function streamRecords(
  source: Source,
  layout: CsvLayout,
  options: { startOffset: number; firstRowNumber: number; batchSize: number },
): AsyncGenerator<CsvRecord[], void, undefined> {
  return readRecordBatches(source, layout, { ...options, maxRecords: Number.POSITIVE_INFINITY }).batches;
}
