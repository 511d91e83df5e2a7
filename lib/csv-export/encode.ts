import Papa from "papaparse";

/** One cell of an exported file: text as is, numbers in decimal, null and undefined as an empty cell. */
export type CsvCell = string | number | null | undefined;
export type CsvRow = readonly CsvCell[];

/** RFC 4180 ends records with CRLF; spreadsheet programs and CSV libraries all read it. */
export const CSV_NEWLINE = "\r\n";

/** UTF-8 byte-order mark: without it, spreadsheet programs read UTF-8 as the local code page (accents break). */
export const UTF8_BOM = "\uFEFF";

/**
 * Text a spreadsheet program would run as a formula (OWASP "CSV injection"): it starts with = + - @, a tab
 * or a carriage return. Unlike papaparse's default pattern this one also catches cells that continue on
 * another line (`=1+1\nmore`).
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Records in RFC 4180 form, each ended by CRLF: a cell is quoted when it holds the delimiter, a quote,
 * CR or LF (or starts or ends with a space), quotes inside doubled. Text that a spreadsheet would take
 * for a formula gets a leading `'` (and is quoted), so it shows as text; numbers are left alone.
 */
export function encodeCsvRows(rows: readonly CsvRow[]): string {
  if (rows.length === 0) return "";
  const body = Papa.unparse(rows as CsvCell[][], {
    delimiter: ",",
    newline: CSV_NEWLINE,
    quotes: false,
    header: false,
    skipEmptyLines: false,
    escapeFormulae: FORMULA_START,
  });
  return body + CSV_NEWLINE;
}
