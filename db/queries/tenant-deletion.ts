import "server-only";
import { and, asc, count, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { companies, jobs, type JobStatus } from "@/db/schema";

/**
 * What deleting a tenant removes, in the order it removes it: every kind is gone before a kind it
 * points at (issue items before issues, jobs before upload sessions…), so no foreign key blocks a batch.
 * `sole_members` are the accounts of members and invitees that belong to and are invited by no other
 * company (platform admins excepted): nothing of them is left to keep. The other members keep their
 * accounts and lose this membership.
 */
export const TENANT_ROW_KINDS = [
  "issue_items",
  "issues",
  "staging_rows",
  "contact_changes",
  "contacts",
  "job_events",
  "upload_session_files",
  "jobs",
  "upload_sessions",
  "cycles",
  "projects",
  "api_keys",
  "refresh_tokens",
  "usage_records",
  "webhook_deliveries",
  "webhooks",
  "audit_events",
  "sole_members",
  "invitations",
  "memberships",
] as const;
export type TenantRowKind = (typeof TENANT_ROW_KINDS)[number];

/**
 * For each kind, its table and the ids of at most `limit` of the company's rows there. Each goes
 * through an index that leads with the company or its jobs and issues, never a scan of a whole large
 * table: staging rows, for instance, are reached through their jobs (they have no index on the company).
 * Written out with qualified names: a subquery must never read an outer column as its own.
 */
function batchOf(kind: TenantRowKind, companyId: string, limit: number): { table: string; ids: SQL } {
  const companyJobs = sql`(select company_job.id from jobs company_job where company_job.company_id = ${companyId})`;
  const byCompany = (table: string) => ({
    table,
    ids: sql`select owned.id from ${sql.identifier(table)} owned where owned.company_id = ${companyId} limit ${limit}`,
  });
  const byJob = (table: string) => ({
    table,
    ids: sql`select owned.id from ${sql.identifier(table)} owned where owned.job_id in ${companyJobs} limit ${limit}`,
  });
  switch (kind) {
    case "issue_items":
      return {
        table: "issue_items",
        ids: sql`select item.id from issue_items item where item.issue_id in
          (select issue.id from issues issue where issue.company_id = ${companyId}) limit ${limit}`,
      };
    case "staging_rows":
    case "contact_changes":
    case "job_events":
      return byJob(kind);
    case "sole_members":
      return {
        table: "users",
        ids: sql`select candidate.user_id from
            (select user_id from memberships where company_id = ${companyId}
             union select user_id from invitations where company_id = ${companyId}) candidate
          join users account on account.id = candidate.user_id
          where not account.is_platform_admin
            and not exists (select 1 from memberships elsewhere
              where elsewhere.user_id = candidate.user_id and elsewhere.company_id <> ${companyId})
            and not exists (select 1 from invitations invited
              where invited.user_id = candidate.user_id and invited.company_id <> ${companyId})
          limit ${limit}`,
      };
    default:
      return byCompany(kind);
  }
}

/** Adds `removed` to the company's count of `kind` in its deletion progress (in the caller's transaction). */
const addProgress = (kind: string, removed: number, companyId: string) => sql`
  update companies
  set deletion_progress = coalesce(deletion_progress, '{}'::jsonb)
    || jsonb_build_object(${kind}::text, coalesce((deletion_progress ->> ${kind}::text)::bigint, 0) + ${removed}::bigint)
  where id = ${companyId}`;

/**
 * Deletes at most `limit` of the company's rows of one kind and counts them in its deletion progress,
 * in one transaction (a crash leaves both as they were). Returns how many it deleted: fewer than
 * `limit` means none is left.
 */
export async function deleteTenantRows({
  companyId,
  kind,
  limit,
}: {
  companyId: string;
  kind: TenantRowKind;
  limit: number;
}): Promise<number> {
  const db = await getDb();
  const { table, ids } = batchOf(kind, companyId, limit);
  return db.transaction(async (tx) => {
    const [result] = rowsOf<{ removed: number }>(
      await tx.execute(sql`
        with removed as (delete from ${sql.identifier(table)} where id in (${ids}) returning 1)
        select count(*)::int as removed from removed`),
    );
    const removed = Number(result?.removed ?? 0);
    if (removed > 0) await tx.execute(addProgress(kind, removed, companyId));
    return removed;
  });
}

/** The next `limit` of the company's jobs after job `afterId` in one of `statuses`, by id: runs that may still be writing. */
export async function listTenantJobsIn({
  companyId,
  statuses,
  afterId,
  limit,
}: {
  companyId: string;
  statuses: readonly JobStatus[];
  afterId: number;
  limit: number;
}): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.companyId, companyId), inArray(jobs.status, [...statuses]), gt(jobs.id, afterId)))
    .orderBy(asc(jobs.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function countTenantJobsIn({
  companyId,
  statuses,
}: {
  companyId: string;
  statuses: readonly JobStatus[];
}): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ jobs: count() })
    .from(jobs)
    .where(and(eq(jobs.companyId, companyId), inArray(jobs.status, [...statuses])));
  return row?.jobs ?? 0;
}

/** The next `limit` of the company's jobs after job `afterId`, by id: whose stored files to remove. */
export async function listTenantJobFiles({
  companyId,
  afterId,
  limit,
}: {
  companyId: string;
  afterId: number;
  limit: number;
}): Promise<{ id: number; storageKey: string }[]> {
  const db = await getDb();
  return db
    .select({ id: jobs.id, storageKey: jobs.storageKey })
    .from(jobs)
    .where(and(eq(jobs.companyId, companyId), gt(jobs.id, afterId)))
    .orderBy(asc(jobs.id))
    .limit(limit);
}

/** Counts stored objects the deletion removed (files live outside the database, so this is its only record of them). */
export async function addTenantDeletionProgress({
  companyId,
  kind,
  removed,
}: {
  companyId: string;
  kind: string;
  removed: number;
}): Promise<void> {
  if (removed === 0) return;
  const db = await getDb();
  await db.execute(addProgress(kind, removed, companyId));
}

/** The last step: the company's own row (whatever a foreign key still ties to it goes with it). */
export async function deleteTenantRow({ companyId }: { companyId: string }): Promise<boolean> {
  const db = await getDb();
  const deleted = await db.delete(companies).where(eq(companies.id, companyId)).returning({ id: companies.id });
  return deleted.length > 0;
}

/** Whether the company is marked for deletion (a run for any other company does nothing). */
export async function isTenantMarkedForDeletion({ companyId }: { companyId: string }): Promise<boolean | null> {
  const db = await getDb();
  const [row] = await db
    .select({ requested: companies.deletionRequestedAt })
    .from(companies)
    .where(eq(companies.id, companyId))
    .limit(1);
  return row ? row.requested !== null : null;
}
