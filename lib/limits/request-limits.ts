import "server-only";
import { getDatabase } from "@/db";
import { addRequestToCounters, takeRequestFromCounters, type CompanyRateLimitRow } from "@/db/queries/rate-limits";
import { limiter } from "@/lib/limits/limiter";
import { sometimesDeleteExpiredCounters } from "@/lib/limits/postgres-store";

/** How many requests a company may make a minute, an hour and a day (companies.rate_limit_per_*). */
export type RequestLimits = { perMinute: number; perHour: number; perDay: number };

/** The defaults a company starts with (seed 003's), and the limits of callers without a company, per address. */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = { perMinute: 1000, perHour: 50_000, perDay: 1_000_000 };

export const requestLimitsOf = (row: CompanyRateLimitRow): RequestLimits => ({
  perMinute: row.rateLimitPerMinute,
  perHour: row.rateLimitPerHour,
  perDay: row.rateLimitPerDay,
});

const WINDOWS = [
  { name: "minute", seconds: 60, limitOf: (limits: RequestLimits) => limits.perMinute },
  { name: "hour", seconds: 60 * 60, limitOf: (limits: RequestLimits) => limits.perHour },
  { name: "day", seconds: 24 * 60 * 60, limitOf: (limits: RequestLimits) => limits.perDay },
] as const;

export type WindowName = (typeof WINDOWS)[number]["name"];

/** One window's counter after this request: the requests in it (this one included) and the time it has left. */
export type WindowCount = { window: WindowName; points: number; msBeforeNext: number };

/** Who a request counts against: its company, or the client address of a caller without one. */
export const companySubject = (companyId: string) => `company:${companyId}`;
export const addressSubject = (address: string) => `address:${address}`;

// Counted whatever the limit, which is only known once the request is authenticated (see judgeRequest).
const UNCAPPED = Number.MAX_SAFE_INTEGER;

/**
 * Counts one request against the subject's minute, hour and day windows (each fixed from the first request
 * in it). In Postgres the three counters move in one statement, so that several servers share them and a
 * request pays one statement; on PGlite they are rate-limiter-flexible memory counters.
 */
const counterKey = (seconds: number, subject: string) => `requests:${seconds}:${subject}`;
const memoryCounter = (seconds: number) =>
  limiter({ keyPrefix: `requests:${seconds}`, points: UNCAPPED, durationSeconds: seconds });

export async function countRequest(subject: string): Promise<WindowCount[]> {
  const handle = await getDatabase();
  if (handle.kind === "postgres") {
    sometimesDeleteExpiredCounters(handle.db);
    const keyOf = (seconds: number) => counterKey(seconds, subject);
    const counts = await addRequestToCounters(handle.db, {
      counters: WINDOWS.map(({ seconds }) => ({ key: keyOf(seconds), durationMs: seconds * 1000 })),
    });
    return WINDOWS.map(({ name, seconds }) => {
      const count = counts.find((each) => each.key === keyOf(seconds));
      if (!count) throw new Error(`The ${name} request counter of ${subject} was not stored`);
      return { window: name, points: count.points, msBeforeNext: count.msBeforeNext };
    });
  }
  return Promise.all(
    WINDOWS.map(async ({ name, seconds }) => {
      const spent = await (await memoryCounter(seconds)).consume(subject);
      return { window: name, points: spent.consumedPoints, msBeforeNext: spent.msBeforeNext };
    }),
  );
}

/**
 * Takes a counted request back from some of the subject's windows: a request whose credentials turned out
 * not to be the company's, or a refused one from the windows that did not refuse it (so that a caller
 * retrying too fast does not spend its hour and day on requests that were never served).
 */
export async function uncountRequest(subject: string, windows: readonly WindowName[]): Promise<void> {
  const seconds = WINDOWS.filter((window) => windows.includes(window.name)).map((window) => window.seconds);
  const handle = await getDatabase();
  if (handle.kind === "postgres") {
    await takeRequestFromCounters(handle.db, { keys: seconds.map((each) => counterKey(each, subject)) });
    return;
  }
  await Promise.all(seconds.map(async (each) => (await memoryCounter(each)).reward(subject, 1)));
}

export const ALL_WINDOWS: readonly WindowName[] = WINDOWS.map((window) => window.name);

/** What the X-RateLimit-* headers say, and whether the request may go on. */
export type RateLimitVerdict = {
  allowed: boolean;
  window: WindowName;
  limit: number;
  remaining: number;
  /** When the window described ends, in Unix seconds. */
  resetAt: number;
  /** Seconds until a refused caller may try again; null when allowed. */
  retryAfterSeconds: number | null;
  /** The windows over their limit (none when allowed). */
  refusedWindows: WindowName[];
};

/**
 * Judges the counted request by the limits. A refusal describes the refusing window that ends last (the
 * caller may come back then); otherwise the window with the fewest requests left (the shorter on a tie).
 */
export function judgeRequest(counts: WindowCount[], limits: RequestLimits, nowMs = Date.now()): RateLimitVerdict {
  const judged = counts.map((count) => {
    const window = WINDOWS.find((each) => each.name === count.window);
    if (!window) throw new Error(`Unknown rate-limit window ${count.window}`);
    const limit = window.limitOf(limits);
    return { ...count, limit, remaining: Math.max(0, limit - count.points), refused: count.points > limit };
  });
  const refused = judged.filter((each) => each.refused).sort((a, b) => b.msBeforeNext - a.msBeforeNext);
  const [described] = refused.length
    ? refused
    : [...judged].sort((a, b) => a.remaining - b.remaining || a.msBeforeNext - b.msBeforeNext);
  if (!described) throw new Error("No rate-limit window was counted");
  const secondsLeft = Math.max(1, Math.ceil(described.msBeforeNext / 1000));
  return {
    allowed: refused.length === 0,
    window: described.window,
    limit: described.limit,
    remaining: described.remaining,
    resetAt: Math.ceil((nowMs + described.msBeforeNext) / 1000),
    retryAfterSeconds: refused.length ? secondsLeft : null,
    refusedWindows: refused.map((each) => each.window),
  };
}
