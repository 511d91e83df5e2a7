import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import type { IMPORT_MODES } from "@/db/schema";

export type ImportMode = (typeof IMPORT_MODES)[number];
export type IdRange = { from: number; to: number };
export type PromotionCounts = { inserted: number; updated: number; skipped: number };

/** The job's READY rows split into ranges of staging ids, one promotion step each. */
export async function planPromotion({ jobId, rangeSize }: { jobId: number; rangeSize: number }): Promise<IdRange[]> {
  const db = await getDb();
  const [bounds] = rowsOf<{ low: number | null; high: number | null }>(
    await db.execute(
      sql`SELECT min(id)::bigint AS low, max(id)::bigint AS high FROM staging_rows WHERE job_id = ${jobId} AND status = 'READY'`,
    ),
  );
  const low = bounds?.low === null || bounds?.low === undefined ? null : Number(bounds.low);
  const high = bounds?.high === null || bounds?.high === undefined ? null : Number(bounds.high);
  if (low === null || high === null) return [];
  const ranges: IdRange[] = [];
  for (let from = low; from <= high; from += rangeSize) ranges.push({ from, to: Math.min(from + rangeSize - 1, high) });
  return ranges;
}

/**
 * Lands one range of READY rows as contacts, set-based: `create` inserts emails the company does not
 * have, `update` changes existing contacts whose names or company differ, `upsert` does both. An
 * inserted contact records its job in `source_job_id`; an update is recorded in contact_changes with
 * the previous values; both set `last_job_id` (what revert needs). A contact this job already changed
 * is never changed again, so a re-run after a crash is harmless.
 */
export async function promoteRange({
  jobId,
  companyId,
  mode,
  range,
}: {
  jobId: number;
  companyId: string;
  mode: ImportMode;
  range: IdRange;
}): Promise<void> {
  const db = await getDb();
  const source = sql`
    SELECT id, email, first_name, last_name, company FROM staging_rows
    WHERE job_id = ${jobId} AND status = 'READY' AND id BETWEEN ${range.from} AND ${range.to}`;
  await db.transaction(async (tx) => {
    if (mode === "update" || mode === "upsert") {
      await tx.execute(sql`
        WITH src AS (${source}),
        target AS (
          SELECT c.id, c.first_name, c.last_name, c.company,
            src.id AS staging_id, src.first_name AS new_first_name, src.last_name AS new_last_name, src.company AS new_company
          FROM contacts c JOIN src ON c.company_id = ${companyId} AND c.email = src.email
          WHERE (c.first_name, c.last_name, c.company) IS DISTINCT FROM (src.first_name, src.last_name, src.company)
            AND NOT EXISTS (SELECT 1 FROM contact_changes cc WHERE cc.job_id = ${jobId} AND cc.contact_id = c.id)
          FOR UPDATE OF c
        ),
        logged AS (
          INSERT INTO contact_changes (company_id, job_id, contact_id, action, previous)
          SELECT ${companyId}, ${jobId}, id, 'UPDATE',
            jsonb_build_object('firstName', first_name, 'lastName', last_name, 'company', company)
          FROM target
          ON CONFLICT (job_id, contact_id) DO NOTHING
          RETURNING contact_id
        )
        ,
        updated AS (
          UPDATE contacts c
          SET first_name = t.new_first_name, last_name = t.new_last_name, company = t.new_company,
            staging_id = t.staging_id, last_job_id = ${jobId}, updated_at = now()
          FROM target t
          WHERE c.id = t.id AND c.id IN (SELECT contact_id FROM logged)
          RETURNING t.staging_id
        )
        UPDATE staging_rows SET status = 'IMPORTED', updated_at = now()
        WHERE id IN (SELECT staging_id FROM updated)`);
    }
    if (mode === "create" || mode === "upsert") {
      await tx.execute(sql`
        WITH src AS (${source}),
        inserted AS (
          INSERT INTO contacts (company_id, email, first_name, last_name, company, staging_id, source_job_id, last_job_id)
          SELECT ${companyId}, email, first_name, last_name, company, id, ${jobId}, ${jobId} FROM src
          ON CONFLICT (company_id, email) DO NOTHING
          RETURNING staging_id
        )
        UPDATE staging_rows SET status = 'IMPORTED', updated_at = now()
        WHERE id IN (SELECT staging_id FROM inserted)`);
    }
  });
}

/**
 * After promotion (which marks the rows it lands IMPORTED), the READY rows left are those whose
 * contact this job had already landed in an earlier run (IMPORTED too), and those with nothing to
 * change or excluded by the import mode (SKIPPED). Returns the job's counts.
 */
export async function settlePromotion({ jobId, companyId }: { jobId: number; companyId: string }): Promise<PromotionCounts> {
  const db = await getDb();
  await db.execute(sql`
    UPDATE staging_rows s SET status = 'IMPORTED', updated_at = now()
    FROM contacts c
    WHERE s.job_id = ${jobId} AND s.status = 'READY'
      AND c.company_id = ${companyId} AND c.email = s.email AND c.last_job_id = ${jobId}`);
  await db.execute(sql`UPDATE staging_rows SET status = 'SKIPPED', updated_at = now() WHERE job_id = ${jobId} AND status = 'READY'`);
  const [counts] = rowsOf<{ imported: number; updated: number; skipped: number }>(
    await db.execute(sql`
      SELECT
        (SELECT count(*)::int FROM staging_rows WHERE job_id = ${jobId} AND status = 'IMPORTED') AS imported,
        (SELECT count(*)::int FROM contact_changes WHERE job_id = ${jobId} AND action = 'UPDATE') AS updated,
        (SELECT count(*)::int FROM staging_rows WHERE job_id = ${jobId} AND status = 'SKIPPED') AS skipped`),
  );
  const updated = counts?.updated ?? 0;
  return { inserted: (counts?.imported ?? 0) - updated, updated, skipped: counts?.skipped ?? 0 };
}
