import "server-only";
import { sql } from "drizzle-orm";
import type { Database, JobScope } from "@/db";
import { rowsOf } from "@/db/rows";

// Each statement below is one set-based pass, whatever the number of contacts; the caller runs them
// in one transaction (`db` is that transaction).

/** Deletes the contacts the job inserted and no later job touched (their last job is still this one). */
export async function deleteInsertedContacts({ db, jobId, companyId }: JobScope): Promise<number> {
  const [row] = rowsOf<{ removed: number }>(
    await db.execute(sql`
      WITH removed AS (
        DELETE FROM contacts
        WHERE company_id = ${companyId} AND source_job_id = ${jobId} AND last_job_id = ${jobId}
        RETURNING 1
      )
      SELECT count(*)::int AS removed FROM removed`),
  );
  return row?.removed ?? 0;
}

/**
 * Puts back the values recorded before the job updated its contacts, for those no later job changed
 * since (their last job is still this one), and marks those changes reverted. The last job and staging
 * row go back too when the change recorded them; otherwise the contact's last job becomes the one that
 * inserted it.
 */
export async function restoreUpdatedContacts({ db, jobId, companyId }: JobScope): Promise<number> {
  const [row] = rowsOf<{ restored: number }>(
    await db.execute(sql`
      WITH restored AS (
        UPDATE contacts c SET
          first_name = cc.previous ->> 'firstName',
          last_name = cc.previous ->> 'lastName',
          company = cc.previous ->> 'company',
          last_job_id = CASE WHEN cc.previous ? 'lastJobId' THEN (cc.previous ->> 'lastJobId')::bigint ELSE c.source_job_id END,
          staging_id = CASE WHEN cc.previous ? 'stagingId' THEN (cc.previous ->> 'stagingId')::bigint ELSE c.staging_id END,
          updated_at = now()
        FROM contact_changes cc
        WHERE cc.job_id = ${jobId} AND cc.company_id = ${companyId} AND cc.action = 'UPDATE' AND cc.reverted_at IS NULL
          AND c.id = cc.contact_id AND c.company_id = ${companyId} AND c.last_job_id = ${jobId}
        RETURNING cc.id
      ),
      marked AS (
        UPDATE contact_changes SET reverted_at = now() WHERE id IN (SELECT id FROM restored) RETURNING 1
      )
      SELECT count(*)::int AS restored FROM marked`),
  );
  return row?.restored ?? 0;
}

export type KeptContact = {
  contactId: number;
  email: string;
  /** The job that changed the contact since (null when no job is recorded as its last change). */
  laterJobId: number | null;
  laterJobFileName: string | null;
};

/**
 * After the deletes and restores: the job's contacts left as they are because a later job changed them
 * (inserted by the job but still there, or updated by it with the change not reverted). The first
 * `limit` by contact id, and how many in all.
 */
export async function listKeptContacts({
  db,
  jobId,
  companyId,
  limit,
}: {
  db: Database;
  jobId: number;
  companyId: string;
  limit: number;
}): Promise<{ total: number; first: KeptContact[] }> {
  const rows = rowsOf<{
    id: number | string;
    email: string;
    last_job_id: number | string | null;
    file_name: string | null;
    total: number;
  }>(
    await db.execute(sql`
      SELECT c.id, c.email, c.last_job_id, j.file_name, count(*) OVER ()::int AS total
      FROM contacts c
        LEFT JOIN jobs j ON j.id = c.last_job_id AND j.company_id = ${companyId}
      WHERE c.company_id = ${companyId}
        AND (
          c.source_job_id = ${jobId}
          OR c.id IN (
            SELECT contact_id FROM contact_changes
            WHERE job_id = ${jobId} AND company_id = ${companyId} AND action = 'UPDATE' AND reverted_at IS NULL
          )
        )
      ORDER BY c.id
      LIMIT ${limit}`),
  );
  return {
    total: rows[0]?.total ?? 0,
    first: rows.map((row) => ({
      contactId: Number(row.id),
      email: row.email,
      laterJobId: row.last_job_id === null ? null : Number(row.last_job_id),
      laterJobFileName: row.file_name,
    })),
  };
}

/**
 * Forgets the job's updates that were undone, so that running the job again (after it was cancelled)
 * updates those contacts again instead of taking them for already changed.
 */
export async function forgetRevertedChanges({ db, jobId, companyId }: JobScope): Promise<void> {
  await db.execute(
    sql`DELETE FROM contact_changes WHERE job_id = ${jobId} AND company_id = ${companyId} AND reverted_at IS NOT NULL`,
  );
}
