import "server-only";
import { RateLimiterRes, type IRateLimiterOptions } from "rate-limiter-flexible";
import RateLimiterStoreAbstract from "rate-limiter-flexible/lib/RateLimiterStoreAbstract";
import type { Database } from "@/db";
import {
  addRateLimitPoints,
  deleteExpiredRateLimitCounts,
  deleteRateLimitCount,
  findRateLimitCount,
  type RateLimitCount,
} from "@/db/queries/rate-limits";
import { logger } from "@/lib/logger";

// Roughly one spend in this many also deletes a batch of long-expired counters, so the table stays small
// without a scheduled job and without every request paying for it.
const CLEANUP_ONE_IN = 100;
const CLEANUP_BATCH = 500;
const CLEANUP_GRACE_SECONDS = 60 * 60;

/**
 * rate-limiter-flexible's store on the rate_limit_counters table, so every server on one Postgres shares
 * one count: one statement per spend (db/queries/rate-limits.ts), windows timed by the database's clock.
 */
export class PostgresCounterStore extends RateLimiterStoreAbstract {
  private readonly db: Database;

  constructor(db: Database, options: IRateLimiterOptions & { duration: number }) {
    if (!(options.duration > 0)) throw new Error("A Postgres rate limit needs a window (duration > 0)");
    super({ ...options, storeClient: db });
    this.db = db;
  }

  // The hooks below are rate-limiter-flexible's store interface (untyped in its declarations).
  _getRateLimiterRes(_key: string, changedPoints: number, count: RateLimitCount): RateLimiterRes {
    return new RateLimiterRes(
      Math.max(this.points - count.points, 0),
      Math.ceil(count.msBeforeNext),
      count.points,
      count.points === changedPoints,
    );
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<RateLimitCount> {
    sometimesDeleteExpiredCounters(this.db);
    return addRateLimitPoints(this.db, { key, points, durationMs: msDuration, resetWindow: forceExpire });
  }

  _get(key: string): Promise<RateLimitCount | null> {
    return findRateLimitCount(this.db, { key });
  }

  _delete(key: string): Promise<boolean> {
    return deleteRateLimitCount(this.db, { key });
  }
}

/** Once in CLEANUP_ONE_IN calls, deletes a batch of ended counters without waiting for it. */
export function sometimesDeleteExpiredCounters(db: Database): void {
  if (Math.random() * CLEANUP_ONE_IN >= 1) return;
  // A failed cleanup costs nothing now: a later count tries again.
  deleteExpiredRateLimitCounts(db, { graceSeconds: CLEANUP_GRACE_SECONDS, limit: CLEANUP_BATCH }).catch(
    (error: unknown) => logger().warn({ err: error }, "rate-limit counter cleanup failed"),
  );
}
