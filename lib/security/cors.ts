/**
 * CORS for /api, for browser scripts on the listed origins that call with a bearer token. Credentials are
 * never allowed: a session cookie must not be usable from another site. An origin not listed gets no CORS
 * headers at all, so its browser refuses to hand the response to the script.
 */

const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
const ALLOWED_HEADERS = "Authorization, Content-Type, X-Request-Id";
// What a script may read besides the basic headers: the id to quote, and a download's file name.
const EXPOSED_HEADERS = "X-Request-Id, Content-Disposition";
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export type CorsRequest = { method: string; origin: string | null; requestedMethod: string | null };

/** A browser asks before a non-simple cross-origin call (OPTIONS with Access-Control-Request-Method). */
export function isPreflight(request: CorsRequest): boolean {
  return request.method === "OPTIONS" && request.origin !== null && request.requestedMethod !== null;
}

/** Headers answering a preflight: empty for an origin that is not listed. */
export function preflightHeaders(origin: string | null, allowedOrigins: readonly string[]): Record<string, string> {
  if (!isAllowed(origin, allowedOrigins)) return varyOn(allowedOrigins);
  return {
    ...responseHeaders(origin, allowedOrigins),
    "Access-Control-Allow-Methods": ALLOWED_METHODS,
    "Access-Control-Allow-Headers": ALLOWED_HEADERS,
    "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}

/** Headers for an actual response: the caller's origin echoed when listed; Vary whenever the answer depends on it. */
export function responseHeaders(origin: string | null, allowedOrigins: readonly string[]): Record<string, string> {
  if (!isAllowed(origin, allowedOrigins)) return varyOn(allowedOrigins);
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
    Vary: "Origin",
  };
}

function isAllowed(origin: string | null, allowedOrigins: readonly string[]): origin is string {
  return origin !== null && allowedOrigins.includes(origin);
}

// With CORS configured, a shared cache must not hand one origin's answer to another.
const varyOn = (allowedOrigins: readonly string[]): Record<string, string> =>
  allowedOrigins.length > 0 ? { Vary: "Origin" } : {};
