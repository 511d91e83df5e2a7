import Papa from "papaparse";
import type { CsvDelimiter, CsvNewline } from "./types";

function parseRows(text: string, delimiter: CsvDelimiter, newline: CsvNewline): string[][] {
  return Papa.parse<string[]>(text, {
    delimiter,
    newline,
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    comments: false,
  }).data;
}

/**
 * Splits the text of one record (no trailing newline) into cells. The scanner only ends records outside quotes,
 * so papaparse sees one row; should malformed quoting make it see more, the rows are joined back at the newline.
 */
export function splitRecord(text: string, delimiter: CsvDelimiter, newline: CsvNewline): string[] {
  const rows = parseRows(text, delimiter, newline);
  const [first, ...rest] = rows;
  if (first === undefined) return [""];
  const cells = [...first];
  for (const row of rest) {
    const [head = "", ...tail] = row;
    cells[cells.length - 1] = `${cells[cells.length - 1] ?? ""}${newline}${head}`;
    cells.push(...tail);
  }
  return cells;
}

/**
 * Splits many records at once (one papaparse call for the lot, which is much faster than one call each),
 * falling back to one call per record if malformed quoting makes the row count disagree.
 */
export function splitRecords(texts: readonly string[], delimiter: CsvDelimiter, newline: CsvNewline): string[][] {
  if (texts.length === 0) return [];
  const rows = parseRows(texts.join(newline), delimiter, newline);
  if (rows.length === texts.length) return rows;
  return texts.map((text) => splitRecord(text, delimiter, newline));
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
