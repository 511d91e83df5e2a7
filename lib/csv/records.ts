import { isBlankRecord, splitRecords, type QuoteError } from "./cells";
import { asBuffer, decodeBytes } from "./encoding";
import { MAX_QUOTED_BYTES, MAX_QUOTED_LINES, RecordScanner, type QuoteProblem } from "./scanner";
import type { CsvLayout, CsvRecord } from "./types";

export type ReadRecordsOptions = {
  /** Absolute byte offset the source starts at (`layout.dataOffset` for the first call, then the last `endOffset`). */
  startOffset: number;
  /** Row number of the first record at `startOffset` (2 for the first data record: the header is row 1). */
  firstRowNumber: number;
  /**
   * Line of the file `startOffset` is on (`layout.dataLine` for the first call, then the last `nextLineNumber`),
   * for naming the lines of a malformed record. Defaults to `firstRowNumber`, right when no record before
   * `startOffset` spans several lines.
   */
  firstLineNumber?: number;
  /** Stop once this many non-blank records have been read. */
  maxRecords: number;
};

export type ReadRecordsResult = {
  /** The non-blank records read, in file order (malformed ones included, marked). */
  records: CsvRecord[];
  /** Absolute byte offset just after the last record consumed: where the next call starts. */
  endOffset: number;
  /** Row number of the record at `endOffset`. */
  nextRowNumber: number;
  /** Line of the file `endOffset` is on. */
  nextLineNumber: number;
  /**
   * The source is exhausted and every record in it consumed. False when the call stopped at `maxRecords`, even if
   * nothing but blank lines follows (the next call then returns no records and `done`).
   */
  done: boolean;
};

type Source = AsyncIterable<Buffer | Uint8Array>;

/** A record cut from the byte stream and decoded, not yet split into cells. */
type RecordText = {
  rowNumber: number;
  text: string;
  firstLine: number;
  lastLine: number;
  problem: QuoteProblem | null;
};

/**
 * Cuts records off a stream of chunks. Each chunk is scanned in place (the scanner keeps its state between
 * chunks); only a record that spans chunks is copied, once, when its end is found. So memory stays around one
 * chunk plus the record being read, and a long record costs linear time even in tiny chunks. A record the
 * scanner cuts short (a quote never closed) can end in an earlier chunk than the one being scanned: the bytes
 * after it, at most about `MAX_QUOTED_BYTES`, are then scanned again.
 */
class RecordCutter {
  /** Bytes of the current record that came in earlier chunks. */
  private parts: Buffer[] = [];
  /** The chunk being scanned. */
  private current: Buffer = Buffer.alloc(0);
  /** Absolute offset of `current[0]`. */
  private currentOffset: number;
  /** Where the current record starts in `current` (0 when it started in an earlier chunk). */
  private recordStart = 0;
  /** Where scanning resumes in `current`. */
  private scanFrom = 0;
  /** Absolute offset of the start of the current record. */
  private recordOffset: number;
  private readonly scanner: RecordScanner;
  /** The source has no more chunks. */
  ended = false;
  rowNumber: number;
  lineNumber: number;

  constructor(
    private readonly layout: CsvLayout,
    startOffset: number,
    firstRowNumber: number,
    firstLineNumber: number,
  ) {
    this.scanner = new RecordScanner(layout.encoding, layout.delimiter);
    this.recordOffset = startOffset;
    this.currentOffset = startOffset;
    this.rowNumber = firstRowNumber;
    this.lineNumber = firstLineNumber;
  }

  /** Absolute offset just after the last record cut. */
  get offset(): number {
    return this.recordOffset;
  }

  /** The source is used up and every record in it cut. */
  get exhausted(): boolean {
    return this.ended && this.parts.length === 0 && this.recordStart >= this.current.length;
  }

  append(chunk: Buffer | Uint8Array): void {
    if (chunk.length === 0) return;
    const bytes = asBuffer(chunk);
    // A UTF-16 code unit cut in two by the chunk boundary, or a CR waiting to see whether an LF follows: the
    // unscanned bytes move on with the new chunk.
    const unscanned = this.current.subarray(this.scanFrom);
    const kept = this.current.subarray(this.recordStart, this.scanFrom);
    if (kept.length > 0) this.parts.push(kept);
    this.currentOffset += this.scanFrom;
    this.current = unscanned.length > 0 ? Buffer.concat([unscanned, bytes]) : bytes;
    this.recordStart = 0;
    this.scanFrom = 0;
  }

  /** The next complete record, blank or not; undefined until more bytes arrive, or once the source is used up. */
  next(): RecordText | undefined {
    if (this.exhausted) return undefined;
    const end = this.scanner.findEnd(this.current, this.scanFrom, this.currentOffset, this.ended);
    if (end < 0) {
      this.scanFrom = this.scanner.resumeAt;
      return undefined;
    }
    return this.cut(end);
  }

  private cut(end: number): RecordText {
    let stop = end - this.currentOffset;
    if (stop < this.recordStart) {
      // Cut short inside an earlier chunk: one buffer from the record's start, the rest to be scanned again.
      this.current = Buffer.concat([...this.parts, this.current.subarray(this.recordStart)]);
      this.currentOffset = this.recordOffset;
      this.parts = [];
      this.recordStart = 0;
      stop = end - this.currentOffset;
    }
    const tail = this.current.subarray(this.recordStart, stop);
    const bytes = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    const contentEnd = this.scanner.contentEnd(bytes, 0, bytes.length);
    const firstLine = this.lineNumber;
    const lastLine = firstLine + this.scanner.breaks;
    const record: RecordText = {
      rowNumber: this.rowNumber++,
      text: decodeBytes(bytes, this.layout.encoding, 0, contentEnd),
      firstLine,
      lastLine,
      problem: this.scanner.problem,
    };
    this.lineNumber = lastLine + 1;
    this.parts = [];
    this.recordStart = stop;
    this.scanFrom = stop;
    this.recordOffset = end;
    return record;
  }
}

const QUOTE_PROBLEMS: Record<QuoteProblem | QuoteError, string> = {
  UNCLOSED_QUOTE: "a quoted field is never closed",
  QUOTED_TOO_LONG: `a quoted field is still open after ${MAX_QUOTED_BYTES / 1024} KiB`,
  QUOTED_TOO_MANY_LINES: `a quoted field is still open after ${MAX_QUOTED_LINES} lines`,
  MissingQuotes: "a quoted field is never closed",
  InvalidQuotes: "text follows a closing quote",
};

const fieldCount = (count: number) => `${count} field${count === 1 ? "" : "s"}`;

/**
 * The record with its cells, marked malformed when its quoting is broken or its field count is not the
 * header's. A record with broken quoting gets the cells of a split that ignores quotes when that one has the
 * header's field count and papaparse's has not (a stray quote is the likeliest mistake).
 */
function toRecord(record: RecordText, cells: string[], quoteError: QuoteError | null, layout: CsvLayout): CsvRecord {
  const expected = layout.headers.length;
  const quoteProblem = record.problem ?? quoteError;
  if (quoteProblem === null && cells.length === expected) return { rowNumber: record.rowNumber, cells };
  let best = cells;
  if (quoteProblem !== null && cells.length !== expected) {
    const plain = record.text.split(layout.delimiter);
    if (plain.length === expected) best = plain;
  }
  const problem =
    quoteProblem !== null
      ? QUOTE_PROBLEMS[quoteProblem]
      : `${fieldCount(cells.length)} where the header has ${expected}`;
  return {
    rowNumber: record.rowNumber,
    cells: best,
    malformed: { firstLine: record.firstLine, lastLine: record.lastLine, problem, text: record.text },
  };
}

/**
 * Pulls chunks from `iterator` until `cutter` has given `maxRecords` non-blank records or the source ends.
 * Never pulls a chunk it does not need. A record cut short by the scanner is never taken for blank.
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
    if (record.problem !== null || !isBlankRecord(record.text, delimiter, newline)) taken.push(record);
    return true;
  };
  while (taken.length < maxRecords) {
    if (take(cutter.next())) continue;
    if (cutter.ended) break;
    const step = await iterator.next();
    if (step.done === true) cutter.ended = true;
    else cutter.append(step.value);
  }
  const { rows, quoteErrors } = splitRecords(
    taken.map((record) => record.text),
    delimiter,
    newline,
  );
  const records = taken.map((record, index) =>
    toRecord(record, rows[index] ?? [""], quoteErrors?.[index] ?? null, layout),
  );
  return { records, done: cutter.exhausted };
}

/** Where a read stopped: the offset, row and line numbers to carry on from, and whether the source is used up. */
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
  const { startOffset, firstRowNumber, firstLineNumber = firstRowNumber, maxRecords, batchSize } = options;
  if (!(maxRecords >= 1)) throw new RangeError(`maxRecords must be at least 1, got ${maxRecords}`);
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  const cutter = new RecordCutter(layout, startOffset, firstRowNumber, firstLineNumber);
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
  return {
    batches: batches(),
    position: () => ({
      endOffset: cutter.offset,
      nextRowNumber: cutter.rowNumber,
      nextLineNumber: cutter.lineNumber,
      done,
    }),
  };
}

/**
 * Reads up to `maxRecords` non-blank records from `source`, which yields the file's raw bytes starting at
 * `startOffset`. Call again with `endOffset`, `nextRowNumber` and `nextLineNumber` to carry on where this call
 * stopped.
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
  options: { startOffset: number; firstRowNumber: number; firstLineNumber?: number; batchSize: number },
): AsyncGenerator<CsvRecord[], void, undefined> {
  return readRecordBatches(source, layout, { ...options, maxRecords: Number.POSITIVE_INFINITY }).batches;
}
