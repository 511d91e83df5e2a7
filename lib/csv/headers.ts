import { CsvRuleError, REQUIRED_FIELDS, type RequiredField } from "./types";

/**
 * Header spellings accepted for each required field. They are compared after `normaliseHeader`,
 * so case, accents and separators (space, `_`, `-`, `.`) do not matter: `e_mail` also covers `E-Mail`.
 */
export const HEADER_ALIASES: Readonly<Record<RequiredField, readonly string[]>> = {
  email: [
    "email",
    "e-mail",
    "e_mail",
    "email_address",
    "mail",
    "email address",
    "e-mail address",
    "emails",
    "work email",
    "business email",
    "endereço de email",
    "endereço de e-mail",
    "correio eletrônico",
    "correo",
    "correo electrónico",
    "courriel",
  ],
  first_name: [
    "first_name",
    "firstname",
    "first name",
    "first",
    "nome",
    "fname",
    "given name",
    "given_name",
    "forename",
    "primeiro nome",
    "primeiro_nome",
    "nombre",
    "prénom",
    "vorname",
  ],
  last_name: [
    "last_name",
    "lastname",
    "last name",
    "last",
    "sobrenome",
    "lname",
    "surname",
    "family name",
    "family_name",
    "apelido",
    "último nome",
    "apellido",
    "apellidos",
    "nom de famille",
    "nachname",
  ],
  company: [
    "company",
    "empresa",
    "organization",
    "organisation",
    "org",
    "company_name",
    "company name",
    "organização",
    "organization name",
    "organisation name",
    "nome da empresa",
    "compañía",
    "entreprise",
    "société",
    "firma",
    "employer",
  ],
};

/**
 * Canonical form of a header for matching: BOM and surrounding quotes removed, trimmed, lower-cased,
 * accents removed, and spaces, underscores, dashes and dots dropped (`First Name` → `firstname`).
 */
export function normaliseHeader(header: string): string {
  let value = header.replace(/\uFEFF/g, "").trim();
  while (value.length >= 2 && /^["'].*["']$/s.test(value) && value[0] === value[value.length - 1]) {
    value = value.slice(1, -1).trim();
  }
  return value
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s_.\-\u2010-\u2015]+/g, "");
}

const ALIAS_INDEX: ReadonlyMap<string, RequiredField> = (() => {
  const index = new Map<string, RequiredField>();
  for (const field of REQUIRED_FIELDS) {
    for (const alias of [field, ...HEADER_ALIASES[field]]) {
      const key = normaliseHeader(alias);
      const existing = index.get(key);
      if (existing !== undefined && existing !== field) {
        throw new Error(`Header alias "${alias}" is claimed by both ${existing} and ${field}`);
      }
      index.set(key, field);
    }
  }
  return index;
})();

/** The required field a header stands for, if any. */
export function fieldForHeader(header: string): RequiredField | undefined {
  return ALIAS_INDEX.get(normaliseHeader(header));
}

/** Finds the column of each required field (the first matching column wins) and lists the fields not found. */
export function matchHeaders(headers: string[]): {
  columns: Partial<Record<RequiredField, number>>;
  missing: RequiredField[];
} {
  const columns: Partial<Record<RequiredField, number>> = {};
  headers.forEach((header, index) => {
    const field = fieldForHeader(header);
    if (field !== undefined && columns[field] === undefined) columns[field] = index;
  });
  const missing = REQUIRED_FIELDS.filter((field) => columns[field] === undefined);
  return { columns, missing };
}

/** A required field more than one column stands for: each such column's 1-based position and header. */
export type DuplicateHeader = { field: RequiredField; columns: { position: number; header: string }[] };

/** The required fields that several columns stand for (`email,e-mail`), in field order. */
export function duplicateHeaders(headers: readonly string[]): DuplicateHeader[] {
  const byField = new Map<RequiredField, { position: number; header: string }[]>();
  headers.forEach((header, index) => {
    const field = fieldForHeader(header);
    if (field === undefined) return;
    const columns = byField.get(field) ?? [];
    columns.push({ position: index + 1, header: header.replace(/\uFEFF/g, "").trim() });
    byField.set(field, columns);
  });
  return REQUIRED_FIELDS.flatMap((field) => {
    const columns = byField.get(field) ?? [];
    return columns.length > 1 ? [{ field, columns }] : [];
  });
}

const listed = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;

/**
 * The column of every required field. Refuses headers that lack one (`MISSING_HEADERS`, naming each missing
 * field and listing the headers that were found, e.g. `Missing required header: company. Found headers:
 * email, first_name, …`) or that name one twice (`DUPLICATE_HEADERS`, naming both columns: which one holds
 * the field cannot be guessed).
 */
export function requireHeaders(headers: string[]): Record<RequiredField, number> {
  const { columns, missing } = matchHeaders(headers);
  const found = headers.map((header) => header.replace(/\uFEFF/g, "").trim()).filter((header) => header !== "");
  const { email, first_name, last_name, company } = columns;
  if (
    missing.length === 0 &&
    email !== undefined &&
    first_name !== undefined &&
    last_name !== undefined &&
    company !== undefined
  ) {
    const duplicates = duplicateHeaders(headers);
    if (duplicates.length > 0) {
      const named = duplicates.map(
        ({ field, columns: repeated }) =>
          `${field} is named by ${listed(repeated.map(({ position, header }) => `column ${position} ("${header}")`))}`,
      );
      throw new CsvRuleError(
        "DUPLICATE_HEADERS",
        `The header names a field more than once: ${named.join("; ")}. Keep one column for each field.`,
        {
          duplicates,
        },
      );
    }
    return { email, first_name, last_name, company };
  }
  const label = missing.length === 1 ? "Missing required header" : "Missing required headers";
  const foundText = found.length > 0 ? found.join(", ") : "(none)";
  throw new CsvRuleError("MISSING_HEADERS", `${label}: ${missing.join(", ")}. Found headers: ${foundText}`, {
    missing,
    found,
  });
}
