import { AsyncLocalStorage } from "node:async_hooks";
import type postgres from "postgres";
import { queryCanceledError } from "./errors";

/**
 * The statements of one API request. They run on the request pool (its shorter statement timeout), and
 * those still running when the request's client goes away are cancelled, so an abandoned request stops
 * keeping Postgres busy. Work outside a request (background runs, pages, start-up) runs on the
 * application pool and is never cancelled this way.
 */
type RunningQuery = postgres.PendingQuery<postgres.Row[]>;
type TransactionBody = (sql: postgres.Sql) => unknown;
type RequestQueries = { signal: AbortSignal; running: Set<RunningQuery> };

// On globalThis: Next bundles instrumentation (which opens the database) and each route separately,
// and the pools' proxies must see the scope the route wrapper entered.
const globalForQueries = globalThis as unknown as { intakeRequestQueries?: AsyncLocalStorage<RequestQueries> };
const storage = (globalForQueries.intakeRequestQueries ??= new AsyncLocalStorage<RequestQueries>());

/** Runs `work` as one request's: its statements are cancelled once `signal` aborts. */
export function withRequestQueries<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  const scope: RequestQueries = { signal, running: new Set() };
  const cancel = () => cancelRunning(scope.running);
  signal.addEventListener("abort", cancel, { once: true });
  return storage.run(scope, work).finally(() => signal.removeEventListener("abort", cancel));
}

/**
 * Runs `work`, and everything it starts, as no request's: background work kicked off while serving a
 * request must neither die with that request's client nor run under the request timeout. A drizzle
 * query starts when awaited, so `work` awaits its queries itself rather than returning one.
 */
export function outsideRequestQueries<T>(work: () => T): T {
  return storage.exit(work);
}

export function inRequestQueries(): boolean {
  return storage.getStore() !== undefined;
}

/**
 * The client as drizzle gets it: a statement issued inside a request (directly, in a transaction or in
 * a savepoint) is cancelled when that request's client disconnects.
 */
export function cancellableWithRequest(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "unsafe") {
        return (...args: unknown[]) => {
          refuseWhenAbandoned();
          return track(value.apply(target, args) as RunningQuery);
        };
      }
      if (property === "begin" || property === "savepoint") {
        // The callback gets the transaction's own client, which runs its statements: wrap that one too.
        return (...args: unknown[]) => {
          refuseWhenAbandoned();
          return value.apply(
            target,
            args.map((arg) =>
              typeof arg === "function"
                ? (transaction: postgres.Sql): unknown => (arg as TransactionBody)(cancellableWithRequest(transaction))
                : arg,
            ),
          ) as unknown;
        };
      }
      return value;
    },
  });
}

function track(query: RunningQuery): RunningQuery {
  const scope = storage.getStore();
  if (!scope) return query;
  scope.running.add(query);
  // Attaching a handler starts the query a tick early (postgres.js sends it on first `then`); drizzle
  // awaits every query it creates at once, so nothing changes but that it is forgotten when it settles.
  const forget = () => void scope.running.delete(query);
  void query.then(forget, forget);
  return query;
}

/** What postgres.js keeps on a query but leaves out of its types. */
type QueryInternals = {
  /** Cancels the query: a cancel request to its backend when it is running. */
  canceller?: ((query: RunningQuery) => Promise<void>) | null;
  /** True while it is the statement its connection is running. */
  active?: boolean;
};

const CHECK_EVERY_MS = 50;
const RESEND_AFTER_MS = 250;
const GIVE_UP_AFTER_MS = 60_000;

/**
 * Postgres stops each statement as it runs and fails it with 57014 (query_canceled). Only a running
 * statement is cancelled: one still queued, or pipelined behind another on a busy connection, is
 * cancelled once it starts. (postgres.js's own cancel of a queued or pipelined query can lose a
 * connection or leave queries unanswered, and its cancel request can arrive before the statement does
 * and be ignored, so one still running a moment later is cancelled again.)
 */
function cancelRunning(running: ReadonlySet<RunningQuery>): void {
  const requestedAt = new Map<RunningQuery, number>();
  const started = Date.now();
  const check = () => {
    const now = Date.now();
    for (const query of running) {
      const { canceller, active } = query as unknown as QueryInternals;
      if (!canceller) {
        query.cancel();
        continue;
      }
      const requested = requestedAt.get(query);
      if (!active || (requested !== undefined && now - requested < RESEND_AFTER_MS)) continue;
      requestedAt.set(query, now);
      // Postgres unreachable for the cancel request: the statement timeout stops the statement instead.
      canceller(query).catch(() => {});
    }
    if (running.size > 0 && now - started < GIVE_UP_AFTER_MS) setTimeout(check, CHECK_EVERY_MS).unref();
  };
  check();
}

/** A statement issued after the request's client left is not sent at all. */
function refuseWhenAbandoned(): void {
  if (storage.getStore()?.signal.aborted) {
    throw queryCanceledError("the request's client went away before the statement was sent");
  }
}
