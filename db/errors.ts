/** Postgres's SQLSTATE for a row that would break a unique key. */
const UNIQUE_VIOLATION = "23505";
/** Postgres's SQLSTATE for a statement it stopped: over its statement_timeout, or cancelled by the client. */
const QUERY_CANCELED = "57014";

/**
 * True when the error (or what it wraps: drizzle puts the driver's error in `cause`) is a unique-key
 * violation, from postgres.js or PGlite alike.
 */
export function isUniqueViolation(error: unknown): boolean {
  return hasSqlState(error, UNIQUE_VIOLATION);
}

/**
 * True when Postgres stopped the statement: it ran past the statement timeout, or the request that
 * issued it was abandoned by its client (see request-queries.ts).
 */
export function isQueryCanceled(error: unknown): boolean {
  return hasSqlState(error, QUERY_CANCELED);
}

/** A statement the application stopped before Postgres ran it; it is answered as Postgres's own cancellation. */
export function queryCanceledError(reason: string): Error {
  return Object.assign(new Error(`Statement not run: ${reason}`), { code: QUERY_CANCELED });
}

function hasSqlState(error: unknown, sqlState: string): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    if ("code" in current && current.code === sqlState) return true;
    current = "cause" in current ? current.cause : undefined;
  }
  return false;
}
