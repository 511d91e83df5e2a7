/**
 * Splits a local storage URL into what its route handler sees: the key (Next hands the path over
 * decoded, one element a segment) and the query.
 */
export function storageRequestParts(url: string): { key: string; searchParams: URLSearchParams } {
  const parsed = new URL(url);
  const prefix = "/api/storage/";
  if (!parsed.pathname.startsWith(prefix)) throw new Error(`Not a storage URL: ${url}`);
  const key = parsed.pathname.slice(prefix.length).split("/").map(decodeURIComponent).join("/");
  return { key, searchParams: parsed.searchParams };
}
