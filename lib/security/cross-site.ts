/**
 * A browser attaches the session cookie to requests that other sites start (a form post, a multipart
 * fetch without preflight). A write carried by that cookie is accepted only when the browser says it
 * came from the app itself: its Origin is the app's configured origin, or Sec-Fetch-Site is
 * same-origin (sent by browsers that leave Origin out; scripts cannot set it). Reads change nothing.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type WriteProvenance = { method: string; origin: string | null; fetchSite: string | null };

export function isSameOriginWrite(request: WriteProvenance, appUrl: string): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  if (request.fetchSite === "same-origin") return true;
  return request.origin === new URL(appUrl).origin;
}
