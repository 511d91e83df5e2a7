/** HTTP details shared by the storage drivers and the local driver's route handler. */

const CONTENT_TYPES: Record<string, string> = {
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  txt: "text/plain",
};

/** The content type implied by a key's extension (`.csv` → text/csv), or null when it implies none. */
export function contentTypeForKey(key: string): string | null {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return null;
  return CONTENT_TYPES[name.slice(dot + 1).toLowerCase()] ?? null;
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): a plain-ASCII fallback for old clients
 * and the exact UTF-8 name for the rest. Quotes, backslashes and control characters never reach the header.
 */
export function attachmentDisposition(fileName: string): string {
  const clean = fileName.replace(/[\u0000-\u001f\u007f]/g, "").trim() || "download";
  const fallback = clean.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
