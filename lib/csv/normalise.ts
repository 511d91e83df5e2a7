import { createHash } from "node:crypto";
import { checkEmail, normaliseEmail } from "./email";
import type { CsvLayout, CsvRecord, NormalisedRow } from "./types";

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
    const base = header.trim() === "" ? `column ${index + 1}` : header;
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

function field(cells: readonly string[], index: number): string | null {
  const value = (cells[index] ?? "").trim();
  return value === "" ? null : value;
}

/** Hex SHA-256 of the normalised email, first name, last name and company. */
export function hashRow(fields: readonly (string | null)[]): string {
  return createHash("sha256")
    .update(fields.map((value) => value ?? "").join(HASH_SEPARATOR))
    .digest("hex");
}

/**
 * Turns a record into a staging row: required fields trimmed (email lower-cased, empty → null), the email
 * checked, every cell kept under its header in `raw` (missing trailing cells are ""; cells beyond the last header
 * are kept as `column N`), and a hash that is equal for rows saying the same thing.
 */
export function normaliseRecord(record: CsvRecord, layout: CsvLayout): NormalisedRow {
  const { cells } = record;
  const { columns } = layout;
  const email = normaliseEmail(cells[columns.email]);
  const firstName = field(cells, columns.first_name);
  const lastName = field(cells, columns.last_name);
  const company = field(cells, columns.company);

  // Built from entries so that a header such as `__proto__` becomes an ordinary key.
  const keys = keysFor(layout);
  const used = new Set(keys);
  const entries = keys.map((key, index): [string, string] => [key, cells[index] ?? ""]);
  for (let index = keys.length; index < cells.length; index++) {
    let key = `column ${index + 1}`;
    for (let n = 2; used.has(key); n++) key = `column ${index + 1} (${n})`;
    used.add(key);
    entries.push([key, cells[index] ?? ""]);
  }
  const raw: Record<string, string> = Object.fromEntries(entries);

  return {
    rowNumber: record.rowNumber,
    email,
    firstName,
    lastName,
    company,
    raw,
    rowHash: hashRow([email, firstName, lastName, company]),
    check: checkEmail(email),
  };
}
