import { ilike, or, sql, type AnyColumn, type SQL } from "drizzle-orm";

/** `%text%` for ILIKE, with the pattern characters in the text matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** True when any of the columns contains the text, ignoring case. */
export function containsText(columns: readonly AnyColumn[], text: string): SQL {
  const pattern = containsPattern(text);
  return or(...columns.map((column) => ilike(column, pattern))) ?? sql`false`;
}

/** `(1, 2, 3)` for `IN`, or `(NULL)` (which matches nothing) when there are no ids. */
export function idList(ids: readonly number[]): SQL {
  if (ids.length === 0) return sql`(NULL)`;
  return sql`(${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}
