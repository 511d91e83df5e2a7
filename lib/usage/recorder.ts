import "server-only";
import { insertUsageRecords, type UsageEntry } from "@/db/queries/usage";
import { outsideRequestQueries } from "@/db/request-queries";
import { logger } from "@/lib/logger";

export type { UsageEntry };

/** A buffer this full is written at once rather than at the next tick of the timer. */
export const USAGE_BATCH_SIZE = 500;
/** How long an entry waits in the buffer at most while the database answers. */
export const USAGE_FLUSH_INTERVAL_MS = 1000;
/** While the database is unreachable entries wait; past this many the oldest are dropped. */
export const MAX_BUFFERED_USAGE = 100_000;
/** A backlog (after the database was away) is written in statements of this many rows. */
const MAX_ROWS_PER_STATEMENT = 5_000;
const MAX_RETRY_DELAY_MS = 30_000;
const SHUTDOWN_SIGNALS = ["SIGTERM", "SIGINT"] as const;

type Recorder = {
  entries: UsageEntry[];
  timer: NodeJS.Timeout | null;
  /** The flush under way, which later flushes wait for. */
  flushing: Promise<void> | null;
  /** Flushes failed in a row: the next try waits longer. */
  failures: number;
  /** Entries dropped from a full buffer since this was last logged. */
  dropped: number;
  exitHooked: boolean;
  /** After a shutdown signal every entry is written at once: the process may be gone by the next tick. */
  shuttingDown: boolean;
};

// On globalThis: Next bundles each route apart, and all of them must fill the one buffer.
const globalForUsage = globalThis as unknown as { intakeUsageRecorder?: Recorder };

function recorder(): Recorder {
  return (globalForUsage.intakeUsageRecorder ??= {
    entries: [],
    timer: null,
    flushing: null,
    failures: 0,
    dropped: 0,
    exitHooked: false,
    shuttingDown: false,
  });
}

/**
 * Notes one answered API request, to be written with others in one statement. On the request path:
 * synchronous, never touches the database and never throws.
 */
export function recordApiRequest(entry: UsageEntry): void {
  try {
    const state = recorder();
    state.entries.push(entry);
    dropOldest(state);
    hookExit(state);
    // The flush under way plans the next one when it ends.
    if (!state.flushing) flushWhenDue(state);
  } catch (error) {
    logger().error({ err: error }, "usage of an API request not recorded");
  }
}

/**
 * Writes every buffered entry, after the flush under way if there is one. Never rejects: a failed write
 * keeps its entries for the next try, which a timer makes.
 */
export async function flushUsage(): Promise<void> {
  const state = recorder();
  while (state.flushing) await state.flushing;
  if (state.entries.length === 0) return;
  const flushing = writeBuffered(state);
  state.flushing = flushing;
  try {
    await flushing;
  } finally {
    state.flushing = null;
  }
  if (state.entries.length > 0) flushWhenDue(state);
}

/** Entries waiting to be written, in this process. */
export function bufferedUsageCount(): number {
  return recorder().entries.length;
}

/** Writes what is buffered now (entries that arrive meanwhile wait for the next flush), a statement per chunk. */
async function writeBuffered(state: Recorder): Promise<void> {
  clearTimer(state);
  reportDropped(state);
  const taken = state.entries;
  state.entries = [];
  for (let start = 0; start < taken.length; start += MAX_ROWS_PER_STATEMENT) {
    try {
      // Shared work: it must neither run under one request's statement timeout nor stop when its client leaves.
      await outsideRequestQueries(() => insertUsageRecords(taken.slice(start, start + MAX_ROWS_PER_STATEMENT)));
      state.failures = 0;
    } catch (error) {
      state.entries = taken.slice(start).concat(state.entries);
      dropOldest(state);
      state.failures += 1;
      logger().warn(
        { err: error, buffered: state.entries.length, failures: state.failures },
        "usage records not written; retrying",
      );
      return;
    }
  }
}

function dropOldest(state: Recorder): void {
  const excess = state.entries.length - MAX_BUFFERED_USAGE;
  if (excess <= 0) return;
  state.entries.splice(0, excess);
  state.dropped += excess;
}

function reportDropped(state: Recorder): void {
  if (state.dropped === 0) return;
  logger().error(
    { dropped: state.dropped, max_buffered: MAX_BUFFERED_USAGE },
    "usage records dropped: the buffer was full while the database could not take them",
  );
  state.dropped = 0;
}

/**
 * A full batch (or any entry once the process is shutting down) is written now, the rest when the timer
 * fires. After a failure only the retry timer writes: requests must not hammer a database that is down.
 */
function flushWhenDue(state: Recorder): void {
  if (state.failures === 0 && (state.shuttingDown || state.entries.length >= USAGE_BATCH_SIZE)) void flushUsage();
  else scheduleFlush(state, retryDelay(state));
}

function retryDelay(state: Recorder): number {
  return Math.min(MAX_RETRY_DELAY_MS, USAGE_FLUSH_INTERVAL_MS * 2 ** state.failures);
}

function scheduleFlush(state: Recorder, delayMs: number): void {
  if (state.timer) return;
  // Outside the request scope, or the timer would carry the request that happened to start it.
  state.timer = outsideRequestQueries(() =>
    setTimeout(() => {
      state.timer = null;
      void flushUsage();
    }, delayMs),
  );
  state.timer.unref();
}

function clearTimer(state: Recorder): void {
  if (!state.timer) return;
  clearTimeout(state.timer);
  state.timer = null;
}

/** Best effort at exit: what is buffered is written before the process goes. */
function hookExit(state: Recorder): void {
  if (state.exitHooked) return;
  state.exitHooked = true;
  process.once("beforeExit", () => void flushUsage());
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      state.shuttingDown = true;
      void flushUsage().then(() => {
        // Listening replaced the default of ending the process: when no one else (Next's server) ends it, do.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    });
  }
}
