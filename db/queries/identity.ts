import "server-only";
import { sql, type SQL } from "drizzle-orm";

/**
 * Two rows (or a row and a contact) say the same thing about a person when their names and company
 * match ignoring case and surrounding space; the email is compared separately. Used in every SQL
 * statement that compares identities, so they all agree.
 */
export function identityOf(alias: string): SQL {
  const column = (name: string) => sql.raw(`lower(btrim(coalesce(${alias}.${name}, '')))`);
  return sql`(${column("first_name")}, ${column("last_name")}, ${column("company")})`;
}
