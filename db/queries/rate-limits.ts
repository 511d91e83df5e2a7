import "server-only";
import { and, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import { companies, rateLimitCounters } from "@/db/schema";

/** A counter after a statement: its points and the milliseconds until its window ends, by the database's clock. */
export type RateLimitCount = { points: number; msBeforeNext: number };

const msBeforeExpire = sql<number>`greatest(0, extract(epoch from (${rateLimitCounters.expire} - now())) * 1000)::float8`;

/** A company's request limits, read with the lookups that authenticate a request (no statement of their own). */
export const companyRateLimitColumns = {
  rateLimitPerMinute: companies.rateLimitPerMinute,
  rateLimitPerHour: companies.rateLimitPerHour,
  rateLimitPerDay: companies.rateLimitPerDay,
};

export type CompanyRateLimitRow = { rateLimitPerMinute: number; rateLimitPerHour: number; rateLimitPerDay: number };

/** A counter's new window: `durationMs` from now by the database's clock. */
const windowFromNow = (durationMs: number | SQL) => sql`now() + ${durationMs}::float8 * interval '1 millisecond'`;

/** Whether the stored counter's window is over (it then starts again), or always when a new window is asked for. */
const windowEnded = (resetWindow: boolean) => (resetWindow ? sql`true` : sql`${rateLimitCounters.expire} <= now()`);

/**
 * Adds `points` to the key's counter in one statement: a counter whose window has ended (or a new one)
 * starts again at `points` with a window of `durationMs` from now; `resetWindow` starts a new window either way.
 * The expiry comes from the database's clock, so servers with different clocks count the same windows.
 */
export async function addRateLimitPoints(
  db: Database,
  { key, points, durationMs, resetWindow }: { key: string; points: number; durationMs: number; resetWindow: boolean },
): Promise<RateLimitCount> {
  const newExpire = windowFromNow(durationMs);
  const ended = windowEnded(resetWindow);
  const [count] = await db
    .insert(rateLimitCounters)
    .values({ key, points, expire: newExpire })
    .onConflictDoUpdate({
      target: rateLimitCounters.key,
      set: {
        points: sql`case when ${ended} then ${points}::integer else ${rateLimitCounters.points} + ${points}::integer end`,
        expire: sql`case when ${ended} then ${newExpire} else ${rateLimitCounters.expire} end`,
      },
    })
    .returning({ points: rateLimitCounters.points, msBeforeNext: msBeforeExpire });
  if (!count) throw new Error(`The rate-limit counter ${key} was not stored`);
  return count;
}

/**
 * Adds one request to several counters (a key per window) in one statement: each counter whose window has
 * ended starts again at 1 with its own duration. Returns every counter's points and time left, by key.
 */
export async function addRequestToCounters(
  db: Database,
  { counters }: { counters: { key: string; durationMs: number }[] },
): Promise<(RateLimitCount & { key: string })[]> {
  const ended = windowEnded(false);
  return db
    .insert(rateLimitCounters)
    .values(counters.map(({ key, durationMs }) => ({ key, points: 1, expire: windowFromNow(durationMs) })))
    .onConflictDoUpdate({
      target: rateLimitCounters.key,
      set: {
        points: sql`case when ${ended} then 1 else ${rateLimitCounters.points} + 1 end`,
        // The proposed row's expiry is its window from now: a restarted counter takes it.
        expire: sql`case when ${ended} then excluded.${sql.identifier("expire")} else ${rateLimitCounters.expire} end`,
      },
    })
    .returning({ key: rateLimitCounters.key, points: rateLimitCounters.points, msBeforeNext: msBeforeExpire });
}

/** Takes one request back from the keys' counters still in their window (a request that should not have counted). */
export async function takeRequestFromCounters(db: Database, { keys }: { keys: string[] }): Promise<void> {
  if (keys.length === 0) return;
  await db
    .update(rateLimitCounters)
    .set({ points: sql`greatest(${rateLimitCounters.points} - 1, 0)` })
    .where(and(inArray(rateLimitCounters.key, keys), gt(rateLimitCounters.expire, sql`now()`)));
}

/** The key's counter in its current window, or null when it has none. */
export async function findRateLimitCount(db: Database, { key }: { key: string }): Promise<RateLimitCount | null> {
  const [count] = await db
    .select({ points: rateLimitCounters.points, msBeforeNext: msBeforeExpire })
    .from(rateLimitCounters)
    .where(sql`${rateLimitCounters.key} = ${key} and ${rateLimitCounters.expire} > now()`);
  return count ?? null;
}

export async function deleteRateLimitCount(db: Database, { key }: { key: string }): Promise<boolean> {
  const deleted = await db
    .delete(rateLimitCounters)
    .where(eq(rateLimitCounters.key, key))
    .returning({ key: rateLimitCounters.key });
  return deleted.length > 0;
}

/** Deletes up to `limit` counters whose window ended at least `graceSeconds` ago; returns how many went. */
export async function deleteExpiredRateLimitCounts(
  db: Database,
  { graceSeconds, limit }: { graceSeconds: number; limit: number },
): Promise<number> {
  const expired = db
    .select({ key: rateLimitCounters.key })
    .from(rateLimitCounters)
    .where(lte(rateLimitCounters.expire, sql`now() - ${graceSeconds}::float8 * interval '1 second'`))
    .limit(limit);
  const deleted = await db
    .delete(rateLimitCounters)
    .where(inArray(rateLimitCounters.key, expired))
    .returning({ key: rateLimitCounters.key });
  return deleted.length;
}
