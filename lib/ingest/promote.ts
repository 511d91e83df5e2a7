import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { rowsOf } from "@/db/rows";
import type { IMPORT_MODES } from "@/db/schema";
import { splitIds, type IdRange } from "@/lib/ingest/id-ranges";
import { anyJoins, hashJoinsOnly } from "@/lib/ingest/lookups";

export type ImportMode = (typeof IMPORT_MODES)[number];
export type PromotionCounts = { inserted: number; updated: number; skipped: number };

// Below this many ids a range is not worth a second connection's round trips.
const MIN_SHARED_RANGE = 1_000;

/**
 * How a job's READY rows will be promoted: in ranges of staging ids, one insert each, and whether the
 * company had no contacts at all when promotion began (then nothing can be in the rows' way, but for a
 * job of the same company landing contacts at the same moment; see insertNewContacts).
 */
export type PromotionPlan = { ranges: IdRange[]; companyWasEmpty: boolean };

export async function planPromotion({
  jobId,
  companyId,
  rangeSize,
  rangesAtOnce,
}: {
  jobId: number;
  companyId: string;
  rangeSize: number;
  /** Ranges inserted side by side: the count is rounded up to a multiple of it so no connection idles. */
  rangesAtOnce: number;
}): Promise<PromotionPlan> {
  const db = await getDb();
  const [bounds] = rowsOf<{ low: number | null; high: number | null; company_was_empty: boolean }>(
    await db.execute(sql`
      SELECT min(id)::bigint AS low, max(id)::bigint AS high,
        NOT EXISTS (SELECT 1 FROM contacts WHERE company_id = ${companyId}) AS company_was_empty
      FROM staging_rows WHERE job_id = ${jobId} AND status = 'READY'`),
  );
  const companyWasEmpty = bounds?.company_was_empty === true;
  const low = bounds?.low === null || bounds?.low === undefined ? null : Number(bounds.low);
  const high = bounds?.high === null || bounds?.high === undefined ? null : Number(bounds.high);
  if (low === null || high === null) return { ranges: [], companyWasEmpty };
  return { ranges: splitIds({ low, high, maxSize: rangeSize, multipleOf: rangesAtOnce, minSize: MIN_SHARED_RANGE }), companyWasEmpty };
}

/**
 * Lands new contacts from one range of READY rows (import modes `create` and `upsert`): emails the
 * company does not have yet are inserted, set-based, and their rows marked IMPORTED. An inserted
 * contact names its job in `source_job_id` and `last_job_id` (what revert needs). A re-run finds its
 * rows IMPORTED already, so a crash between commit and record is harmless.
 */
export async function insertNewContacts({
  jobId,
  companyId,
  range,
  companyWasEmpty,
}: {
  jobId: number;
  companyId: string;
  range: IdRange;
  companyWasEmpty: boolean;
}): Promise<void> {
  const db = await getDb();
  if (companyWasEmpty) {
    // The job's READY rows have distinct emails, so in a company that had no contacts only another job
    // landing the same emails right now can collide: rare enough to skip ON CONFLICT, which costs a
    // third more on every row, and pay for it only when the insert does collide.
    try {
      await db.execute(landNewContacts({ jobId, companyId, range, onConflict: false }));
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  await db.execute(landNewContacts({ jobId, companyId, range, onConflict: true }));
}

function landNewContacts({ jobId, companyId, range, onConflict }: { jobId: number; companyId: string; range: IdRange; onConflict: boolean }) {
  return sql`
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
    WHERE s.id = i.staging_id`;
}

/**
 * Updates existing contacts from the job's READY rows whose names or company differ (import modes
 * `update` and `upsert`, after the inserts, so only rows of emails the company already had are left).
 * One statement for the whole job: one join, however many contacts the company has. Each update is
 * recorded in contact_changes with the previous values (names, company, and the job and staging row
 * the contact last came from, so a revert can put all of it back); a contact this job already changed
 * is never changed again.
 */
export async function updateExistingContacts({ jobId, companyId }: { jobId: number; companyId: string }): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    // The job's rows meet the company's contacts in hash joins (see lib/ingest/lookups.ts): each side
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

/**
 * After promotion (which marks the rows it lands IMPORTED), the READY rows left are those whose
 * contact this job had already landed in an earlier run (IMPORTED too), and those with nothing to
 * change or excluded by the import mode (SKIPPED). Returns the job's counts. `db` is the caller's
 * transaction (the join setting it makes lasts until that ends).
 */
export async function settlePromotion({ db, jobId, companyId }: { db: Database; jobId: number; companyId: string }): Promise<PromotionCounts> {
  const [left] = rowsOf<{ ready: boolean }>(
    await db.execute(sql`SELECT EXISTS (SELECT 1 FROM staging_rows WHERE job_id = ${jobId} AND status = 'READY') AS ready`),
  );
  if (left?.ready) {
    // The leftover rows meet the contacts this job landed in a hash join (see lib/ingest/lookups.ts).
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
  const [counts] = rowsOf<{ imported: number; updated: number; skipped: number }>(
    await db.execute(sql`
      SELECT
        count(*) FILTER (WHERE status = 'IMPORTED')::int AS imported,
        (SELECT count(*)::int FROM contact_changes WHERE job_id = ${jobId} AND action = 'UPDATE') AS updated,
        count(*) FILTER (WHERE status = 'SKIPPED')::int AS skipped
      FROM staging_rows WHERE job_id = ${jobId}`),
  );
  const updated = counts?.updated ?? 0;
  return { inserted: (counts?.imported ?? 0) - updated, updated, skipped: counts?.skipped ?? 0 };
}
