import "server-only";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { companies, usageRecords } from "@/db/schema";

/** One answered API request, as the recorder buffers it. */
export type UsageEntry = {
  companyId: string;
  userId: string | null;
  apiKeyId: string | null;
  method: string;
  /** The contract's path template (`/api/jobs/{job_id}`), never the URL. */
  route: string;
  statusCode: number;
  durationMs: number;
  at: Date;
};

/**
 * Writes a batch in one statement, whatever its size: the entries travel as one JSON parameter (no
 * limit on bind parameters to hit) and are unnested in the database. Tenant deletion runs in the
 * background, so an entry may name a company, user or key that is gone by now: the join drops an
 * entry whose company is gone and the outer joins null a user or key that is, so one stale entry
 * cannot fail the batch. Returns how many rows were written.
 */
export async function insertUsageRecords(entries: readonly UsageEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const db = await getDb();
  const batch = JSON.stringify(
    entries.map((entry) => ({
      company_id: entry.companyId,
      user_id: entry.userId,
      api_key_id: entry.apiKeyId,
      method: entry.method,
      route: entry.route,
      status_code: entry.statusCode,
      duration_ms: Math.max(0, Math.round(entry.durationMs)),
      created_at: entry.at.toISOString(),
    })),
  );
  const [written] = rowsOf<{ rows: number }>(
    await db.execute(sql`
      WITH inserted AS (
        INSERT INTO usage_records (company_id, user_id, api_key_id, method, route, status_code, duration_ms, created_at)
        SELECT entry.company_id, users.id, api_keys.id, entry.method, entry.route, entry.status_code,
          entry.duration_ms, entry.created_at
        FROM jsonb_to_recordset(${batch}::jsonb) AS entry(
          company_id uuid, user_id text, api_key_id uuid, method text, route text, status_code integer,
          duration_ms integer, created_at timestamptz
        )
        JOIN companies ON companies.id = entry.company_id
        LEFT JOIN users ON users.id = entry.user_id
        LEFT JOIN api_keys ON api_keys.id = entry.api_key_id AND api_keys.company_id = entry.company_id
        RETURNING 1
      )
      SELECT count(*)::int AS rows FROM inserted
    `),
  );
  return written?.rows ?? 0;
}

/** Requests of one UTC day, one route and one status. */
export type UsageGroup = {
  /** YYYY-MM-DD, UTC. */
  day: string;
  method: string;
  route: string;
  statusCode: number;
  requests: number;
  totalDurationMs: number;
};

/**
 * A company's requests from the start of `fromDay` to the end of `toDay` (UTC days, YYYY-MM-DD), grouped
 * by day, route and status: one scan of the (company_id, created_at) index range.
 */
export async function groupCompanyUsage({
  companyId,
  fromDay,
  toDay,
}: {
  companyId: string;
  fromDay: string;
  toDay: string;
}): Promise<UsageGroup[]> {
  const db = await getDb();
  const day = sql<string>`to_char(${usageRecords.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .select({
      day,
      method: usageRecords.method,
      route: usageRecords.route,
      statusCode: usageRecords.statusCode,
      requests: sql<number>`count(*)::float8`,
      totalDurationMs: sql<number>`coalesce(sum(${usageRecords.durationMs}), 0)::float8`,
    })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.companyId, companyId),
        gte(usageRecords.createdAt, sql`(${fromDay}::date)::timestamp at time zone 'UTC'`),
        lt(usageRecords.createdAt, sql`(${toDay}::date + 1)::timestamp at time zone 'UTC'`),
      ),
    )
    .groupBy(day, usageRecords.method, usageRecords.route, usageRecords.statusCode)
    .orderBy(day, usageRecords.method, usageRecords.route, usageRecords.statusCode);
  return rows.map((row) => ({ ...row, requests: Number(row.requests), totalDurationMs: Number(row.totalDurationMs) }));
}

export type CompanyRateLimits = { perMinute: number; perHour: number; perDay: number };

export async function findCompanyRateLimits({ companyId }: { companyId: string }): Promise<CompanyRateLimits | null> {
  const db = await getDb();
  const [limits] = await db
    .select({
      perMinute: companies.rateLimitPerMinute,
      perHour: companies.rateLimitPerHour,
      perDay: companies.rateLimitPerDay,
    })
    .from(companies)
    .where(eq(companies.id, companyId));
  return limits ?? null;
}
