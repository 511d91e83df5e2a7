import type { AuditPosition } from "@/db/queries/audit";

/**
 * The `before` cursor of GET /api/audit: opaque to clients (base64url), it holds the position of the
 * last event of the page they have, so the next page starts right after it however many events were
 * recorded meanwhile.
 */

const EXACT_TIMESTAMP = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeAuditCursor({ createdAt, id }: AuditPosition): string {
  return Buffer.from(`${createdAt}|${id}`, "utf8").toString("base64url");
}

/** The position a cursor holds, or null when it is not one this API gave out. */
export function decodeAuditCursor(cursor: string): AuditPosition | null {
  if (!/^[\w-]+$/.test(cursor)) return null;
  const [createdAt, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !createdAt || !id || !EXACT_TIMESTAMP.test(createdAt)) return null;
  if (!isRealInstant(createdAt) || !/^[1-9]\d{0,15}$/.test(id)) return null;
  const numericId = Number(id);
  return Number.isSafeInteger(numericId) ? { createdAt, id: numericId } : null;
}

/** JavaScript rolls 30 February over to March where Postgres refuses it: only a date that reads back the same passes. */
function isRealInstant(exact: string): boolean {
  const parsed = Date.parse(exact);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 23) === exact.slice(0, 23);
}
