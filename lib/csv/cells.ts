import Papa from "papaparse";
import type { CsvDelimiter, CsvNewline } from "./types";

/** Quoting papaparse found broken in a record: a quote never closed, or text after a closing quote. */
export type QuoteError = "MissingQuotes" | "InvalidQuotes";

function parse(text: string, delimiter: CsvDelimiter, newline: CsvNewline): Papa.ParseResult<string[]> {
  return Papa.parse<string[]>(text, {
    delimiter,
    newline,
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    comments: false,
  });
}

/** The cells of one record's text, rows papaparse saw joined back at the newline, and its first quote error. */
function splitChecked(
  text: string,
  delimiter: CsvDelimiter,
  newline: CsvNewline,
): { cells: string[]; quoteError: QuoteError | null } {
  const { data, errors } = parse(text, delimiter, newline);
  const [first, ...rest] = data;
  if (first === undefined) return { cells: [""], quoteError: null };
  const cells = [...first];
  for (const row of rest) {
    const [head = "", ...tail] = row;
    cells[cells.length - 1] = `${cells[cells.length - 1] ?? ""}${newline}${head}`;
    cells.push(...tail);
  }
  // Text after a closing quote says more than the unclosed quote papaparse then reports with it.
  const codes = errors.map((error) => error.code);
  const quoteError = codes.includes("InvalidQuotes")
    ? "InvalidQuotes"
    : codes.includes("MissingQuotes")
      ? "MissingQuotes"
      : null;
  return { cells, quoteError };
}

/**
 * Splits the text of one record (no trailing newline) into cells. The scanner only ends records outside quotes,
 * so papaparse sees one row; should malformed quoting make it see more, the rows are joined back at the newline.
 */
export function splitRecord(text: string, delimiter: CsvDelimiter, newline: CsvNewline): string[] {
  return splitChecked(text, delimiter, newline).cells;
}

/** Records split into cells; `quoteErrors` (one per record) only when some record's quoting is broken. */
export type SplitRecords = { rows: string[][]; quoteErrors: (QuoteError | null)[] | null };

/**
 * Splits many records at once (one papaparse call for the lot, which is much faster than one call each). When
 * papaparse reports broken quoting (which can also run one record into the next), every record is split on its
 * own, so each error lands on its own record.
 */
export function splitRecords(texts: readonly string[], delimiter: CsvDelimiter, newline: CsvNewline): SplitRecords {
  if (texts.length === 0) return { rows: [], quoteErrors: null };
  const { data, errors } = parse(texts.join(newline), delimiter, newline);
  if (errors.length === 0 && data.length === texts.length) return { rows: data, quoteErrors: null };
  const rows: string[][] = [];
  const quoteErrors: (QuoteError | null)[] = [];
  for (const text of texts) {
    const split = splitChecked(text, delimiter, newline);
    rows.push(split.cells);
    quoteErrors.push(split.quoteError);
  }
  return { rows, quoteErrors };
}

/** True when every cell is empty or whitespace. */
export function isBlankCells(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}

/**
 * True when the record's text has no cell content: only delimiters, whitespace and quotes, and (when there are
 * quotes) papaparse confirms every cell is empty. Cheap for the usual non-blank record.
 */
export function isBlankRecord(text: string, delimiter: CsvDelimiter, newline: CsvNewline): boolean {
  let quotes = false;
  for (const char of text) {
    if (char === '"') quotes = true;
    else if (char !== delimiter && char.trim() !== "") return false;
  }
  return !quotes || isBlankCells(splitRecord(text, delimiter, newline));
}
