import { judgeEmail, normaliseEmail } from "./email";
import type { CsvLayout, CsvRecord, MalformedRecord, NormalisedFields, NormalisedRow } from "./types";

/** The longest first name, last name or company a contact may have. */
export const MAX_VALUE_LENGTH = 255;
/**
 * How much of a longer field staging keeps: enough to see and fix it, still over every limit (so the row can
 * never land cut), and never the megabytes a broken file can put in one cell.
 */
export const KEPT_VALUE_LENGTH = 1_000;
/** How much of a cell staging keeps (for the error file): as much as a quoted field may hold. */
export const KEPT_TEXT_LENGTH = 64 * 1024;
/** How much of a malformed record's text staging keeps, to show beside its cells in review (every API page of rows carries it). */
export const KEPT_RAW_TEXT_LENGTH = 10_000;

/** Keys for `raw`, one per header, made unique per layout. Layouts are immutable, so they are worked out once. */
const rawKeysCache = new WeakMap<CsvLayout, string[]>();

/**
 * Keys for `raw`: each header as found, with ` (2)`, ` (3)`… added to repeats; a blank header is named after its
 * position (`column 3`).
 */
export function rawKeys(headers: readonly string[]): string[] {
  const used = new Set<string>();
  return headers.map((header, index) => {
    const base = header.trim() === "" ? extraColumnName(index) : header;
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base} (${n})`;
    used.add(key);
    return key;
  });
}

function keysFor(layout: CsvLayout): string[] {
  let keys = rawKeysCache.get(layout);
  if (keys === undefined) {
    keys = rawKeys(layout.headers);
    rawKeysCache.set(layout, keys);
  }
  return keys;
}

/** The name given to the cell at `index` (0-based) of a row longer than the file's header. */
export function extraColumnName(index: number): string {
  return `column ${index + 1}`;
}

/** A field as Intake keeps it: trimmed, and null when nothing is left. */
function clean(value: string | null | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * Turns a record into a staging row: required fields trimmed (email lower-cased, empty → null), the email
 * checked, every cell kept under its header in `raw` (missing trailing cells are ""; cells beyond the last header
 * are kept as `column N`).
 */
export function normaliseRecord(record: CsvRecord, layout: CsvLayout): NormalisedRow {
  const { cells } = record;
  const fields = recordFields(record, layout);

  // Built from entries so that a header such as `__proto__` becomes an ordinary key.
  const keys = keysFor(layout);
  const used = new Set(keys);
  const entries = keys.map((key, index): [string, string] => [key, cells[index] ?? ""]);
  for (let index = keys.length; index < cells.length; index++) {
    let key = extraColumnName(index);
    for (let n = 2; used.has(key); n++) key = `${extraColumnName(index)} (${n})`;
    used.add(key);
    entries.push([key, cells[index] ?? ""]);
  }
  const raw: Record<string, string> = Object.fromEntries(entries);

  return { rowNumber: record.rowNumber, ...fields, raw };
}

/** The record's four contact fields, normalised and checked (what staging needs, without `raw`). */
export function recordFields({ cells }: CsvRecord, { columns }: CsvLayout): NormalisedFields {
  return normaliseFields({
    email: cells[columns.email],
    firstName: cells[columns.first_name],
    lastName: cells[columns.last_name],
    company: cells[columns.company],
  });
}

/**
 * The four contact fields as staging keeps them (trimmed, empty → null, email lower-cased), with the one
 * check of the row and, when a limit is broken, the detail. One rule for a row read from a file and for a row
 * edited in review. Problems rank: a missing email, then an invalid one, then a value too long; a field
 * longer than `KEPT_VALUE_LENGTH` is cut to it (the detail keeps its full length).
 */
export function normaliseFields(input: {
  email: string | null | undefined;
  firstName: string | null | undefined;
  lastName: string | null | undefined;
  company: string | null | undefined;
}): NormalisedFields {
  const email = normaliseEmail(input.email);
  const firstName = clean(input.firstName);
  const lastName = clean(input.lastName);
  const company = clean(input.company);
  let { check, detail }: Pick<NormalisedFields, "check" | "detail"> = judgeEmail(email);
  if (check === "OK" && (isTooLong(firstName) || isTooLong(lastName) || isTooLong(company))) {
    check = "VALUE_TOO_LONG";
    detail = tooLongDetail({ first_name: firstName, last_name: lastName, company });
  }
  const fields: NormalisedFields = {
    email: keptValue(email),
    firstName: keptValue(firstName),
    lastName: keptValue(lastName),
    company: keptValue(company),
    check,
  };
  if (detail !== undefined) fields.detail = detail;
  return fields;
}

const count = (value: number) => value.toLocaleString("en");

const isTooLong = (value: string | null) => value !== null && value.length > MAX_VALUE_LENGTH;

/**
 * What is wrong with a first name, last name or company someone typed, in words for them (the rule
 * `normaliseFields` applies, for checking as they type); null when it is fine.
 */
export function valueProblem(value: string): string | null {
  const kept = clean(value);
  return isTooLong(kept) ? `It is ${count(kept?.length ?? 0)} characters; at most ${MAX_VALUE_LENGTH}` : null;
}

/** Which of the fields are longer than `MAX_VALUE_LENGTH`, and by how much, in words. */
function tooLongDetail(fields: Record<"first_name" | "last_name" | "company", string | null>): string {
  const long = Object.entries(fields).flatMap(([name, value]) =>
    value !== null && isTooLong(value) ? [{ name, length: value.length }] : [],
  );
  const cut = long.some(({ length }) => length > KEPT_VALUE_LENGTH);
  const kept = cut ? ` (only the first ${count(KEPT_VALUE_LENGTH)} characters of a longer value are kept)` : "";
  return `${long.map(({ name, length }) => `${name} is ${count(length)} characters`).join(", ")}; at most ${MAX_VALUE_LENGTH}${kept}`;
}

/** `value` cut to `length` characters when longer, never between the two halves of a surrogate pair. */
export function cutText(value: string, length: number): string {
  if (value.length <= length) return value;
  const code = value.charCodeAt(length - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

function keptValue(value: string | null): string | null {
  return value === null || value.length <= KEPT_VALUE_LENGTH ? value : cutText(value, KEPT_VALUE_LENGTH);
}

const linesOf = ({ firstLine, lastLine }: Pick<MalformedRecord, "firstLine" | "lastLine">) =>
  firstLine === lastLine ? `Line ${firstLine}` : `Lines ${firstLine}–${lastLine}`;

/**
 * What staging keeps of a malformed record: the check's detail, naming the lines it spans and what is wrong
 * ("Lines 5–7: a quoted field is never closed"), and its raw text (cut to `KEPT_RAW_TEXT_LENGTH`, which the detail
 * then says).
 */
export function malformedRow(malformed: MalformedRecord): { detail: string; rawText: string } {
  const { text } = malformed;
  const cut =
    text.length > KEPT_RAW_TEXT_LENGTH
      ? ` (the record is ${count(text.length)} characters; its first ${count(KEPT_RAW_TEXT_LENGTH)} are kept)`
      : "";
  return { detail: `${linesOf(malformed)}: ${malformed.problem}${cut}`, rawText: cutText(text, KEPT_RAW_TEXT_LENGTH) };
}

type StagedFields = Pick<NormalisedFields, "email" | "firstName" | "lastName" | "company">;

/**
 * The cells of a row rebuilt from its staged fields, in the file's column order (an empty field is an
 * empty cell). Null when the file has columns besides the four contact fields, which only the row's
 * own cells can give back.
 */
export function cellsFromFields(fields: StagedFields, { headers, columns }: CsvLayout): string[] | null {
  if (headers.length !== 4) return null;
  const cells = ["", "", "", ""];
  cells[columns.email] = fields.email ?? "";
  cells[columns.first_name] = fields.firstName ?? "";
  cells[columns.last_name] = fields.lastName ?? "";
  cells[columns.company] = fields.company ?? "";
  return cells;
}

/**
 * The cells staging must keep for a record: none when its staged fields rebuild them exactly (no
 * spacing trimmed away, no upper case in the email, no cell beyond the header), else all of them, each
 * cut to `KEPT_TEXT_LENGTH`.
 */
export function keptCells(record: CsvRecord, layout: CsvLayout, fields: StagedFields): string[] | null {
  const rebuilt = cellsFromFields(fields, layout);
  if (rebuilt === null || rebuilt.length !== record.cells.length) return boundedCells(record.cells);
  return rebuilt.every((cell, index) => cell === record.cells[index]) ? null : boundedCells(record.cells);
}

/** The cells, each cut to `KEPT_TEXT_LENGTH` (the same array when none is longer). */
export function boundedCells(cells: string[]): string[] {
  return cells.some((cell) => cell.length > KEPT_TEXT_LENGTH)
    ? cells.map((cell) => cutText(cell, KEPT_TEXT_LENGTH))
    : cells;
}
