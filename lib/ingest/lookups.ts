import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { rowsOf } from "@/db/rows";

/*
 * Subqueries for `CROSS JOIN LATERAL (…)`: one row of the job looks up its match by a unique key.
 * The LIMIT keeps the planner from flattening the subquery into an ordinary join, which it would be
 * free to turn around: with statistics that have not seen the job yet (one row expected), it may
 * then loop over the job's rows once for every row of the other side, and a job of 90,000 rows takes
 * hours. Kept as a lateral lookup, the job's rows are always the outer side, each one index probe.
 */

/** The contact of the company with this (normalised) email: first name, last name and company. */
export const contactByEmail = (companyId: string, email: SQL): SQL =>
  sql`SELECT first_name, last_name, company, last_job_id FROM contacts WHERE company_id = ${companyId} AND email = ${email} LIMIT 1`;

/** The job's issue with this key (issues are unique on job + key). */
export const issueByKey = (jobId: number, key: SQL): SQL => sql`SELECT id FROM issues WHERE job_id = ${jobId} AND issue_key = ${key} LIMIT 1`;

export async function companyHasContacts({ db, companyId }: { db: Database; companyId: string }): Promise<boolean> {
  const [row] = rowsOf<{ found: boolean }>(await db.execute(sql`SELECT EXISTS (SELECT 1 FROM contacts WHERE company_id = ${companyId}) AS found`));
  return row?.found === true;
}
