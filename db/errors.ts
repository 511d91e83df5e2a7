/** Postgres's SQLSTATE for a row that would break a unique key. */
const UNIQUE_VIOLATION = "23505";

/**
 * True when the error (or what it wraps: drizzle puts the driver's error in `cause`) is a unique-key
 * violation, from postgres.js or PGlite alike.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    if ("code" in current && current.code === UNIQUE_VIOLATION) return true;
    current = "cause" in current ? current.cause : undefined;
  }
  return false;
}
