import { checkEmail, normaliseEmail } from "./email";
import type { CsvLayout, CsvRecord, NormalisedFields, NormalisedRow } from "./types";

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
 * The four contact fields as staging keeps them (trimmed, empty → null, email lower-cased), with the
 * email check. One rule for a row read from a file and for a row edited in review.
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
  return {
    email,
    firstName,
    lastName,
    company,
    check: checkEmail(email),
  };
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
 * spacing trimmed away, no upper case in the email, no cell beyond the header), else all of them.
 */
export function keptCells(record: CsvRecord, layout: CsvLayout, fields: StagedFields): string[] | null {
  const rebuilt = cellsFromFields(fields, layout);
  if (rebuilt === null || rebuilt.length !== record.cells.length) return record.cells;
  return rebuilt.every((cell, index) => cell === record.cells[index]) ? null : record.cells;
}
