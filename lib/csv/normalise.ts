import { hash } from "node:crypto";
import { checkEmail, normaliseEmail } from "./email";
import type { CsvLayout, CsvRecord, NormalisedFields, NormalisedRow } from "./types";

/** Joins the hashed fields; a unit separator does not occur in contact data. */
const HASH_SEPARATOR = "\u001f";

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

/** Hex SHA-256 of the normalised email, first name, last name and company. */
export function hashRow(fields: readonly (string | null)[]): string {
  // The one-shot form: a staged row is hashed a million times per large file, and it is twice as fast.
  return hash("sha256", fields.map((value) => value ?? "").join(HASH_SEPARATOR), "hex");
}

/**
 * Turns a record into a staging row: required fields trimmed (email lower-cased, empty → null), the email
 * checked, every cell kept under its header in `raw` (missing trailing cells are ""; cells beyond the last header
 * are kept as `column N`), and a hash that is equal for rows saying the same thing.
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
 * row hash and the email check. One rule for a row read from a file and for a row edited in review.
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
    rowHash: hashRow([email, firstName, lastName, company]),
    check: checkEmail(email),
  };
}
