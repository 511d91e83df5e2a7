import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Database, type JobScope } from "@/db";
import { anyJoins, hashJoinsOnly } from "@/db/queries/lookups";
import { rowsOf } from "@/db/rows";

/*
 * The statements that land a job's READY rows as contacts (lib/ingest/promote.ts decides which run,
 * and when). Each can run again: a landed row is IMPORTED, and a contact this job changed is recorded.
 */

/** The staging ids the job's READY rows span, and whether the company has no contacts at all. */
export async function readyRowBounds({
  jobId,
  companyId,
}: {
  jobId: number;
  companyId: string;
}): Promise<{ low: number | null; high: number | null; companyWasEmpty: boolean }> {
  const db = await getDb();
  const [bounds] = rowsOf<{ low: number | null; high: number | null; company_was_empty: boolean }>(
    await db.execute(sql`
      SELECT min(id)::bigint AS low, max(id)::bigint AS high,
        NOT EXISTS (SELECT 1 FROM contacts WHERE company_id = ${companyId}) AS company_was_empty
      FROM staging_rows WHERE job_id = ${jobId} AND status = 'READY'`),
  );
  const low = bounds?.low === null || bounds?.low === undefined ? null : Number(bounds.low);
  const high = bounds?.high === null || bounds?.high === undefined ? null : Number(bounds.high);
  return { low, high, companyWasEmpty: bounds?.company_was_empty === true };
}

/**
 * Inserts the company's new contacts from one range of the job's READY rows, set-based, and marks
 * their rows IMPORTED. An inserted contact names its job in `source_job_id` and `last_job_id` (what
 * revert needs). Without `onConflict`, an email the company already has fails the whole statement.
 */
export async function insertContactsFromRange({
  jobId,
  companyId,
  range,
  onConflict,
}: {
  jobId: number;
  companyId: string;
  range: { from: number; to: number };
  onConflict: boolean;
}): Promise<void> {
  const db = await getDb();
  await db.execute(sql`
    WITH inserted AS (
      INSERT INTO contacts (company_id, email, first_name, last_name, company, staging_id, source_job_id, last_job_id)
      SELECT ${companyId}, s.email, s.first_name, s.last_name, s.company, s.id, ${jobId}, ${jobId}
      FROM staging_rows s
      WHERE s.job_id = ${jobId} AND s.status = 'READY' AND s.id BETWEEN ${range.from} AND ${range.to}
      ${onConflict ? sql`ON CONFLICT (company_id, email) DO NOTHING` : sql``}
      RETURNING staging_id
    )
    UPDATE staging_rows s SET status = 'IMPORTED', updated_at = now()
    FROM inserted i
    WHERE s.id = i.staging_id`);
}

/**
 * Updates existing contacts from the job's READY rows whose names or company differ (import modes
 * `update` and `upsert`, after the inserts, so only rows of emails the company already had are left).
 * One statement for the whole job: one join, however many contacts the company has. Each update is recorded in
 * contact_changes with the previous values (names, company, and the job and staging row the contact
 * last came from, so a revert can put all of it back); a contact this job already changed is never
 * changed again.
 */
export async function updateExistingContacts({
  jobId,
  companyId,
}: {
  jobId: number;
  companyId: string;
}): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    // The job's rows meet the company's contacts in hash joins (see db/queries/lookups.ts): each side
    // read once, whatever the statistics say about either.
    await hashJoinsOnly(tx);
    await tx.execute(sql`
      WITH target AS (
        SELECT c.id, c.first_name, c.last_name, c.company, c.last_job_id, c.staging_id AS previous_staging_id,
          s.id AS staging_id, s.first_name AS new_first_name, s.last_name AS new_last_name, s.company AS new_company
        FROM staging_rows s JOIN contacts c ON c.company_id = ${companyId} AND c.email = s.email
        WHERE s.job_id = ${jobId} AND s.status = 'READY'
          AND (c.first_name, c.last_name, c.company) IS DISTINCT FROM (s.first_name, s.last_name, s.company)
          AND NOT EXISTS (SELECT 1 FROM contact_changes cc WHERE cc.job_id = ${jobId} AND cc.contact_id = c.id)
        FOR UPDATE OF c
      ),
      logged AS (
        INSERT INTO contact_changes (company_id, job_id, contact_id, action, previous)
        SELECT ${companyId}, ${jobId}, id, 'UPDATE',
          jsonb_build_object('firstName', first_name, 'lastName', last_name, 'company', company,
            'lastJobId', last_job_id, 'stagingId', previous_staging_id)
        FROM target
        ON CONFLICT (job_id, contact_id) DO NOTHING
        RETURNING contact_id
      ),
      updated AS (
        UPDATE contacts c
        SET first_name = t.new_first_name, last_name = t.new_last_name, company = t.new_company,
          staging_id = t.staging_id, last_job_id = ${jobId}, updated_at = now()
        FROM target t
        WHERE c.company_id = ${companyId} AND c.id = t.id AND c.id IN (SELECT contact_id FROM logged)
        RETURNING t.staging_id
      )
      UPDATE staging_rows SET status = 'IMPORTED', updated_at = now()
      WHERE job_id = ${jobId} AND id IN (SELECT staging_id FROM updated)`);
  });
}

export async function hasReadyRows({ db, jobId }: { db: Database; jobId: number }): Promise<boolean> {
  const [left] = rowsOf<{ ready: boolean }>(
    await db.execute(
      sql`SELECT EXISTS (SELECT 1 FROM staging_rows WHERE job_id = ${jobId} AND status = 'READY') AS ready`,
    ),
  );
  return left?.ready === true;
}

/**
 * The job's READY rows become IMPORTED when this job landed their email's contact, else SKIPPED. The
 * rows meet the contacts this job landed in a hash join (see db/queries/lookups.ts).
 */
export async function settleReadyRows({ db, jobId, companyId }: JobScope): Promise<void> {
  await hashJoinsOnly(db);
  await db.execute(sql`
      UPDATE staging_rows s
      SET status = CASE WHEN decided.landed THEN 'IMPORTED'::staging_status ELSE 'SKIPPED'::staging_status END, updated_at = now()
      FROM (
        SELECT r.id, c.id IS NOT NULL AS landed
        FROM staging_rows r LEFT JOIN contacts c ON c.company_id = ${companyId} AND c.email = r.email AND c.last_job_id = ${jobId}
        WHERE r.job_id = ${jobId} AND r.status = 'READY'
      ) decided
      WHERE s.job_id = ${jobId} AND s.id = decided.id`);
  await anyJoins(db);
}

/** The job's IMPORTED rows, the contacts it updated, and its SKIPPED rows. */
export async function countLanding({
  db,
  jobId,
}: {
  db: Database;
  jobId: number;
}): Promise<{ imported: number; updated: number; skipped: number }> {
  const [counts] = rowsOf<{ imported: number; updated: number; skipped: number }>(
    await db.execute(sql`
      SELECT
        count(*) FILTER (WHERE status = 'IMPORTED')::int AS imported,
        (SELECT count(*)::int FROM contact_changes WHERE job_id = ${jobId} AND action = 'UPDATE') AS updated,
        count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped
      FROM staging_rows WHERE job_id = ${jobId}`),
  );
  return { imported: counts?.imported ?? 0, updated: counts?.updated ?? 0, skipped: counts?.skipped ?? 0 };
}
