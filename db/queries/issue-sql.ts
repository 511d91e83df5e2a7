import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * How an issue is keyed and described, as SQL over a staging row (and a contact). Detection raises
 * issues for a whole job and the review re-check for one edited row; both use these pieces, so an
 * issue raised either way has the same key (the unique job + key makes raising it again a no-op) and
 * the same wording.
 */

/**
 * `<row_check>:<row_number>` (`INVALID_EMAIL:7`, `MALFORMED_ROW:9`…): one issue per row whose own check
 * failed (a malformed record, a missing or invalid email, a value too long).
 */
export const rowCheckKey = (row: string): SQL => sql.raw(`${row}.row_check || ':' || ${row}.row_number`);

/**
 * The row check's problem in words: its `check_detail` when it has one (a malformed record's names its lines,
 * which come first: "Row 7 (lines 7–9): a quoted field is never closed"), else what the check's name says.
 */
export const rowCheckDescription = (row: string): SQL =>
  sql.raw(`CASE
    WHEN ${row}.check_detail ~ '^Lines? ' THEN
      regexp_replace(${row}.check_detail, '^Line(s?) ([^:]*):', 'Row ' || ${row}.row_number || ' (line\\1 \\2):')
    WHEN ${row}.check_detail IS NOT NULL THEN 'Row ' || ${row}.row_number || ': ' || ${row}.check_detail
    WHEN ${row}.row_check = 'MISSING_EMAIL' THEN 'Row ' || ${row}.row_number || ' has no email address'
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
