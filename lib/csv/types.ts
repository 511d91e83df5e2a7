/** The four fields Intake needs from every contacts file. */
export const REQUIRED_FIELDS = ["email", "first_name", "last_name", "company"] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
export type CsvDelimiter = "," | ";" | "\t" | "|";
/**
 * The file's usual line break: LF (also covering CRLF) or a lone CR. Records are cut at any of LF, CR and CRLF
 * outside quotes whatever it is (a stray CR in an LF file is a line break, never part of a cell); papaparse
 * is told this one to split a record's text into cells.
 */
export type CsvNewline = "\n" | "\r";

/** What sniffing the head of a file found: enough to read the rest of it. */
export type CsvLayout = {
  encoding: CsvEncoding;
  /** Bytes of byte-order mark at the start (0, 2 or 3). */
  bomBytes: number;
  delimiter: CsvDelimiter;
  newline: CsvNewline;
  /** The header cells exactly as found (trimmed, BOM removed). */
  headers: string[];
  /** Column index of each required field. */
  columns: Record<RequiredField, number>;
  /** Byte offset of the first data record (just after the header record). */
  dataOffset: number;
  /**
   * Line of the file the first data record starts on (1-based; blank lines and line breaks inside quoted
   * header cells counted). Absent from layouts stored before it existed, where 2 is the best guess.
   */
  dataLine?: number;
};

/** A refused file: `code` for programs, `message` for people (it names what is missing and what was found). */
export type CsvRuleCode =
  | "INVALID_FILE_NAME"
  | "FILE_NAME_TOO_LONG"
  | "UNSUPPORTED_EXTENSION"
  | "EMPTY_FILE"
  | "BINARY_FILE"
  | "NO_HEADER"
  | "MISSING_HEADERS"
  | "DUPLICATE_HEADERS"
  | "NO_DATA_ROWS"
  | "FILE_TOO_LARGE";

export class CsvRuleError extends Error {
  constructor(
    readonly code: CsvRuleCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "CsvRuleError";
  }
}

/**
 * A record that cannot be read as a row of the file: its quoting is broken, or its field count differs from
 * the header's. Its cells are the best split there is, so a person can rebuild it.
 */
export type MalformedRecord = {
  /** Lines of the file the record spans (1-based, inclusive). */
  firstLine: number;
  lastLine: number;
  /** What is wrong, in words: "a quoted field is never closed", "6 fields where the header has 4". */
  problem: string;
  /** The record's text exactly as read, without its line break. */
  text: string;
};

/**
 * One data record: its 1-based position in the file counting the header as row 1 (every record, blank or
 * not, takes one), its cells, and what is wrong with it when it is malformed.
 */
export type CsvRecord = { rowNumber: number; cells: string[]; malformed?: MalformedRecord };

/** The outcome of checking one record, the most serious problem first: a row has one check. */
export type RowCheck = "OK" | "MALFORMED_ROW" | "MISSING_EMAIL" | "INVALID_EMAIL" | "VALUE_TOO_LONG";

/** The contact fields of a row as staged, with what checking them found. */
export type NormalisedFields = {
  /** Trimmed and lower-cased; null when empty. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  check: RowCheck;
  /** Why the check failed, in words, when the check's name does not say it all (a limit broken, and by how much). */
  detail?: string;
};

/** A record normalised for staging. */
export type NormalisedRow = NormalisedFields & {
  rowNumber: number;
  /** The original cells keyed by header (duplicate header names get a ` (2)` suffix). */
  raw: Record<string, string>;
};
