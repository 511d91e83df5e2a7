/** A page's query string as Next.js hands it over: a parameter may be missing, once or repeated. */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of a query-string parameter, or null. */
export function firstParam(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** An id named in a path or query string: a positive safe integer, or null for anything else. */
export function idParamOf(value: string | null): number | null {
  const id = Number(value);
  return value !== null && Number.isSafeInteger(id) && id > 0 ? id : null;
}
