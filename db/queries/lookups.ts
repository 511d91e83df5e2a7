import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { rowsOf } from "@/db/rows";

/*
 * How ingestion's statements meet other tables without a plan quadratic in the job. Statistics taken
 * before a job (or before the contacts that jobs of the same company are landing right now) expect
 * one row where there are a hundred thousand; a nested loop chosen on that estimate repeats a scan of
 * one side for every row of the other (a 90,000-row job once sat 17 minutes in one UPDATE).
 *
 * - Issues: a row looks its issue up by job + key, in `CROSS JOIN LATERAL (issueByKey…)`. The LIMIT
 *   keeps the planner from flattening the lookup into a join it could turn around, and the only index
 *   on issues that starts with the job is the unique one, so each lookup is one index probe.
 * - Contacts: a lookup by company + email could be served by the company's other index (newest
 *   first), which the planner prefers when it believes the company has almost no contacts: every
 *   probe would then read all of them. So the job's rows and the company's contacts meet in a hash
 *   join instead (hashJoinsOnly): linear in both, whatever the estimates.
 */

/** The job's issue with this key (issues are unique on job + key). */
export const issueByKey = (jobId: number, key: SQL): SQL =>
  sql`SELECT id FROM issues WHERE job_id = ${jobId} AND issue_key = ${key} LIMIT 1`;

export async function companyHasContacts({ db, companyId }: { db: Database; companyId: string }): Promise<boolean> {
  const [row] = rowsOf<{ found: boolean }>(
    await db.execute(sql`SELECT EXISTS (SELECT 1 FROM contacts WHERE company_id = ${companyId}) AS found`),
  );
  return row?.found === true;
}

/**
 * For the rest of the transaction, joins are hash or merge joins, never nested loops: each side is
 * read once. For statements joining the job's rows with a table whose estimates may be far off.
 */
export async function hashJoinsOnly(db: Database): Promise<void> {
  await db.execute(sql`SET LOCAL enable_nestloop = off`);
}

/** Back to the planner's own choice (for statements that look rows up by key). */
export async function anyJoins(db: Database): Promise<void> {
  await db.execute(sql`SET LOCAL enable_nestloop = on`);
}
