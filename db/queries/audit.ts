import "server-only";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
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

export type AuditEventWithActor = AuditEvent & {
  actorEmail: string | null;
  actorName: string | null;
  actorApiKeyName: string | null;
};

/** One page of a company's audit events, newest first; `before` is the (createdAt, id) of the previous page's last event. */
export async function listAuditEvents({
  companyId,
  limit,
  before,
}: {
  companyId: string;
  limit: number;
  before?: { createdAt: Date; id: number } | null;
}): Promise<AuditEventWithActor[]> {
  const db = await getDb();
  const conditions: SQL[] = [eq(auditEvents.companyId, companyId)];
  if (before) {
    conditions.push(
      or(
        lt(auditEvents.createdAt, before.createdAt),
        and(eq(auditEvents.createdAt, before.createdAt), lt(auditEvents.id, before.id)),
      )!,
    );
  }
  const rows = await db
    .select({
      event: auditEvents,
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
  return rows.map(({ event, ...actor }) => ({ ...event, ...actor }));
}
