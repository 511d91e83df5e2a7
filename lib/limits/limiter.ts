import "server-only";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getDatabase, type DatabaseHandle } from "@/db";
import { PostgresCounterStore } from "@/lib/limits/postgres-store";

/** A limit: at most `points` spent per key (under `keyPrefix`) in a window of `durationSeconds`. */
export type LimitOptions = { keyPrefix: string; points: number; durationSeconds: number };

/**
 * The limiter for these options on this database: counted in Postgres, so that several servers share one
 * count, or in this process's memory on PGlite (which only one process can open anyway).
 */
export function limiterOn(
  handle: DatabaseHandle,
  { keyPrefix, points, durationSeconds }: LimitOptions,
): RateLimiterAbstract {
  const options = { keyPrefix, points, duration: durationSeconds };
  return handle.kind === "postgres" ? new PostgresCounterStore(handle.db, options) : new RateLimiterMemory(options);
}

// Memory limiters keep their counts in the instance: one per database and limit, for the process's life.
const limiters = new WeakMap<DatabaseHandle, Map<string, RateLimiterAbstract>>();

/** The application's limiter for these options (see limiterOn). */
export async function limiter(options: LimitOptions): Promise<RateLimiterAbstract> {
  const handle = await getDatabase();
  let onDatabase = limiters.get(handle);
  if (!onDatabase) limiters.set(handle, (onDatabase = new Map<string, RateLimiterAbstract>()));
  const name = `${options.keyPrefix}|${options.points}|${options.durationSeconds}`;
  let found = onDatabase.get(name);
  if (!found) onDatabase.set(name, (found = limiterOn(handle, options)));
  return found;
}

/**
 * Spends points under a key; the refusal when the key has none left (rate-limiter-flexible rejects with
 * its result, not an Error), as the seconds until it may try again. Store failures are thrown.
 */
export async function spend(
  limit: RateLimiterAbstract,
  key: string,
  points = 1,
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  try {
    await limit.consume(key, points);
    return { allowed: true };
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
  }
}
