import { isBlankCells, isBlankRecord, splitRecord } from "./cells";
import { asBuffer, decodeBytes, detectEncoding } from "./encoding";
import { matchHeaders, requireHeaders } from "./headers";
import { RecordScanner } from "./scanner";
import {
  CsvRuleError,
  REQUIRED_FIELDS,
  type CsvDelimiter,
  type CsvEncoding,
  type CsvLayout,
  type CsvNewline,
} from "./types";

/** Delimiters tried, in order of preference when everything else is equal. */
export const DELIMITERS: readonly CsvDelimiter[] = [",", ";", "\t", "|"];

/** Records per candidate delimiter used to judge how consistent the field count is. */
const SAMPLE_RECORDS = 50;
/** Above this share of control characters the content is taken for binary data. */
const MAX_CONTROL_SHARE = 0.05;

/**
 * One record cut from the head: its bytes are `[start, contentEnd)`, `end` is just after its line break, and
 * `lines` is how many lines of the file it takes (its line break included).
 */
type HeadRecord = { start: number; end: number; contentEnd: number; text: string; lines: number };

/**
 * Reads the head of an uploaded file (the whole file when `complete`) and works out how to read it: encoding,
 * delimiter, newline, header and where the data starts. Throws a `CsvRuleError` for a file that breaks the
 * CSV rules: EMPTY_FILE, BINARY_FILE, NO_HEADER, MISSING_HEADERS or NO_DATA_ROWS.
 */
export function sniffLayout(head: Buffer, options: { complete: boolean }): CsvLayout {
  const bytes = asBuffer(head);
  const { complete } = options;
  if (bytes.length === 0) throw emptyFile();

  const { encoding, bomBytes } = detectEncoding(bytes, complete);
  if (encoding === "utf-8" || encoding === "windows-1252") {
    if (bytes.includes(0)) throw binaryFile("it contains NUL bytes");
  }
  const text = decodeBytes(bytes, encoding, bomBytes);
  if (text.includes("\u0000")) throw binaryFile("it contains NUL characters");
  if (controlShare(text) > MAX_CONTROL_SHARE) throw binaryFile("it is mostly control characters");
  if (text.trim() === "") {
    if (complete) throw emptyFile();
    throw noHeader(`The first ${bytes.length} bytes of the file are blank: no header row was found.`);
  }

  const newline = detectNewline(text, complete);
  const candidates = DELIMITERS.map((delimiter) =>
    judgeDelimiter({ bytes, encoding, bomBytes, delimiter, newline, complete }),
  );
  const best = candidates.reduce((a, b) => (compareCandidates(b, a) > 0 ? b : a));
  const { delimiter, records, partial, headerIndex } = best;

  const header = records[headerIndex];
  if (header === undefined) {
    if (partial !== undefined && !isBlankRecord(partial.text, delimiter, newline)) {
      throw noHeader(`The header row does not end within the first ${bytes.length} bytes of the file.`);
    }
    throw noHeader("The file has no header row: every line is blank.");
  }
  const headers = splitRecord(header.text, delimiter, newline).map((cell) => cell.replace(/^\uFEFF/, "").trim());
  const columns = requireHeaders(headers);

  const hasData =
    records.slice(headerIndex + 1).some((record) => !isBlankRecord(record.text, delimiter, newline)) ||
    (partial !== undefined && !isBlankRecord(partial.text, delimiter, newline));
  // An incomplete head that is all blank after the header cannot prove the rest of the file is empty.
  if (!hasData && complete) {
    throw new CsvRuleError("NO_DATA_ROWS", "The file has a header but no data rows.", { headers });
  }

  // Records before the header are blank; each takes its lines, like the header itself.
  const dataLine = 1 + records.slice(0, headerIndex + 1).reduce((lines, record) => lines + record.lines, 0);
  return { encoding, bomBytes, delimiter, newline, headers, columns, dataOffset: header.end, dataLine };
}

type Candidate = {
  delimiter: CsvDelimiter;
  records: HeadRecord[];
  /** Bytes after the last complete record when the head is cut inside a record. */
  partial: HeadRecord | undefined;
  /** Index in `records` of the first non-blank record, or -1. */
  headerIndex: number;
  /** Required fields the header matches with this delimiter. */
  matched: number;
  /** Share of sampled non-blank records with as many fields as the header. */
  consistency: number;
  /** The header splits into more than one field. */
  splits: boolean;
};

/** The head of a file read with one candidate delimiter. */
type HeadScan = {
  bytes: Buffer;
  encoding: CsvEncoding;
  bomBytes: number;
  delimiter: CsvDelimiter;
  newline: CsvNewline;
  complete: boolean;
};

function judgeDelimiter(scan: HeadScan): Candidate {
  const { delimiter, newline } = scan;
  const { records, partial } = cutRecords(scan);
  const headerIndex = records.findIndex((record) => !isBlankRecord(record.text, delimiter, newline));
  const header = records[headerIndex];
  if (header === undefined) {
    return { delimiter, records, partial, headerIndex, matched: 0, consistency: 0, splits: false };
  }
  const headerCells = splitRecord(header.text, delimiter, newline);
  const sample = records
    .slice(headerIndex, headerIndex + SAMPLE_RECORDS)
    .map((record) => splitRecord(record.text, delimiter, newline))
    .filter((cells) => !isBlankCells(cells));
  const consistent = sample.filter((cells) => cells.length === headerCells.length).length;
  return {
    delimiter,
    records,
    partial,
    headerIndex,
    matched: REQUIRED_FIELDS.length - matchHeaders(headerCells).missing.length,
    consistency: sample.length > 0 ? consistent / sample.length : 0,
    splits: headerCells.length > 1,
  };
}

/** Positive when `a` is the better delimiter: more required headers matched, then consistency, then splitting. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return a.matched - b.matched || a.consistency - b.consistency || Number(a.splits) - Number(b.splits);
}

/** Cuts the head into records with the same scanner the record reader uses, so both agree on every boundary. */
function cutRecords({ bytes, encoding, bomBytes, delimiter, complete }: HeadScan): {
  records: HeadRecord[];
  partial: HeadRecord | undefined;
} {
  const scanner = new RecordScanner(encoding, delimiter);
  const records: HeadRecord[] = [];
  const record = (start: number, end: number, lines: number): HeadRecord => {
    const contentEnd = scanner.contentEnd(bytes, start, end);
    return { start, end, contentEnd, text: decodeBytes(bytes, encoding, start, contentEnd), lines };
  };
  let start = bomBytes;
  while (start < bytes.length) {
    const end = scanner.findEnd(bytes, start, 0, complete);
    if (end < 0) return { records, partial: record(start, bytes.length, 0) };
    records.push(record(start, end, scanner.breaks + 1));
    start = end;
  }
  return { records, partial: undefined };
}

/**
 * LF (which covers CRLF) unless the first line break outside quotes is a lone CR. A CR cut off at the end of an
 * incomplete head is taken as the start of a CRLF.
 */
function detectNewline(text: string, complete: boolean): CsvNewline {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === "\n") return "\n";
    else if (char === "\r") {
      if (i + 1 < text.length) return text[i + 1] === "\n" ? "\n" : "\r";
      return complete ? "\r" : "\n";
    }
  }
  return "\n";
}

/** Share of characters that no text file has: C0 controls other than tab, LF, CR and form feed, DEL, C1, U+FFFD. */
function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20) {
      if (code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) count++;
    } else if ((code >= 0x7f && code <= 0x9f) || code === 0xfffd) count++;
  }
  return count / text.length;
}

function emptyFile(): CsvRuleError {
  return new CsvRuleError("EMPTY_FILE", "The file is empty.");
}

function binaryFile(reason: string): CsvRuleError {
  return new CsvRuleError(
    "BINARY_FILE",
    `The file is not a text CSV file: ${reason} (is it a spreadsheet, image or archive?).`,
  );
}

function noHeader(message: string): CsvRuleError {
  return new CsvRuleError("NO_HEADER", message);
}
