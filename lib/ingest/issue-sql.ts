import { sql, type SQL } from "drizzle-orm";

/**
 * How an issue is keyed and described, as SQL over a staging row (and a contact). Detection raises
 * issues for a whole job and the review re-check for one edited row; both use these pieces, so an
 * issue raised either way has the same key (the unique job + key makes raising it again a no-op) and
 * the same wording.
 */

/** `INVALID_EMAIL:<row_number>` or `MISSING_EMAIL:<row_number>`: one issue per row whose own email is wrong. */
export const rowCheckKey = (row: string): SQL => sql.raw(`${row}.row_check || ':' || ${row}.row_number`);

export const rowCheckDescription = (row: string): SQL =>
  sql.raw(`CASE ${row}.row_check
    WHEN 'MISSING_EMAIL' THEN 'Row ' || ${row}.row_number || ' has no email address'
    ELSE 'Row ' || ${row}.row_number || ': ''' || coalesce(${row}.email, '') || ''' is not a valid email address'
  END`);

/** `DUPLICATE_EMAIL:<email>` and `CONTACT_CONFLICT:<email>`: one issue per email. */
export const emailIssueKey = (type: "DUPLICATE_EMAIL" | "CONTACT_CONFLICT", email: SQL): SQL =>
  sql`${sql.raw(`'${type}:'`)} || ${email}`;

export const duplicateDescription = (email: SQL, rows: SQL): SQL =>
  sql`'Email ' || ${email} || ' appears on ' || ${rows} || ' rows with different names or companies'`;

export const conflictDescription = (row: string, contact: string): SQL =>
  sql.raw(`'Email ' || ${row}.email || ' is already the contact ' ||
    btrim(coalesce(${contact}.first_name, '') || ' ' || coalesce(${contact}.last_name, '')) ||
    coalesce(' (' || ${contact}.company || ')', '') || ' with a different identity'`);
