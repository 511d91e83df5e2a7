import "server-only";
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, auditEvents, users, type AuditEvent } from "@/db/schema";

export type NewAuditEvent = {
  companyId: string | null;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: { before?: unknown; after?: unknown } & Record<string, unknown>;
  requestId: string | null;
};

export async function insertAuditEvent(event: NewAuditEvent): Promise<void> {
  const db = await getDb();
  await db.insert(auditEvents).values(event);
}

/**
 * Where a page of events ends: its last event's time, to the microsecond as Postgres keeps it (a
 * JavaScript Date holds milliseconds, and a cursor cut to those would skip events of the same
 * millisecond), and its id to order events of the same instant.
 */
export type AuditPosition = { createdAt: string; id: number };

export type AuditEventWithActor = AuditEvent & {
  position: AuditPosition;
  actorEmail: string | null;
  actorName: string | null;
  actorApiKeyName: string | null;
};

/** `created_at` in UTC as ISO 8601 with microseconds, e.g. 2026-11-30T22:31:52.123456Z. */
const exactCreatedAt = sql<string>`to_char(${auditEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** One page of a company's audit events, newest first, from just after `before` (the previous page's last event). */
export async function listAuditEvents({
  companyId,
  limit,
  before,
  action,
  targetType,
}: {
  companyId: string;
  limit: number;
  before?: AuditPosition | null;
  action?: string;
  targetType?: string;
}): Promise<AuditEventWithActor[]> {
  const db = await getDb();
  const conditions: SQL[] = [eq(auditEvents.companyId, companyId)];
  if (before) {
    conditions.push(
      sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${before.createdAt}::timestamptz, ${before.id})`,
    );
  }
  if (action) conditions.push(eq(auditEvents.action, action));
  if (targetType) conditions.push(eq(auditEvents.targetType, targetType));
  const rows = await db
    .select({
      event: auditEvents,
      exactCreatedAt,
      actorEmail: users.email,
      actorName: users.name,
      actorApiKeyName: apiKeys.name,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, auditEvents.actorApiKeyId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(limit);
  return rows.map(({ event, exactCreatedAt: createdAt, ...actor }) => ({
    ...event,
    position: { createdAt, id: event.id },
    ...actor,
  }));
}
