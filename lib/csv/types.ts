/** The four fields Intake needs from every contacts file. */
export const REQUIRED_FIELDS = ["email", "first_name", "last_name", "company"] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";
export type CsvDelimiter = "," | ";" | "\t" | "|";
/** Record separator used by the file: LF (also covers CRLF, the CR staying part of the record) or a lone CR. */
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

/** One data record: its 1-based position in the file counting the header as row 1, and its cells. */
export type CsvRecord = { rowNumber: number; cells: string[] };

/** The outcome of checking one record's required fields. */
export type RowCheck = "OK" | "MISSING_EMAIL" | "INVALID_EMAIL";

/** The contact fields of a row as staged, with what checking them found. */
export type NormalisedFields = {
  /** Trimmed and lower-cased; null when empty. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  check: RowCheck;
};

/** A record normalised for staging. */
export type NormalisedRow = NormalisedFields & {
  rowNumber: number;
  /** The original cells keyed by header (duplicate header names get a ` (2)` suffix). */
  raw: Record<string, string>;
};
