import "server-only";
import { eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { rateLimitCounters } from "@/db/schema";

/** A counter after a statement: its points and the milliseconds until its window ends, by the database's clock. */
export type RateLimitCount = { points: number; msBeforeNext: number };

const msBeforeExpire = sql<number>`greatest(0, extract(epoch from (${rateLimitCounters.expire} - now())) * 1000)::float8`;

/**
 * Adds `points` to the key's counter in one statement: a counter whose window has ended (or a new one)
 * starts again at `points` with a window of `durationMs` from now; `resetWindow` starts a new window either way.
 * The expiry comes from the database's clock, so servers with different clocks count the same windows.
 */
export async function addRateLimitPoints(
  db: Database,
  { key, points, durationMs, resetWindow }: { key: string; points: number; durationMs: number; resetWindow: boolean },
): Promise<RateLimitCount> {
  const newExpire = sql`now() + ${durationMs}::float8 * interval '1 millisecond'`;
  const ended = resetWindow ? sql`true` : sql`${rateLimitCounters.expire} <= now()`;
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
