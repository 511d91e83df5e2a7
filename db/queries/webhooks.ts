import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { webhookDeliveries, webhooks } from "@/db/schema";

export type WebhookRow = {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secretPrefix: string;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const webhookColumns = {
  id: webhooks.id,
  url: webhooks.url,
  events: webhooks.events,
  description: webhooks.description,
  secretPrefix: webhooks.secretPrefix,
  isActive: webhooks.isActive,
  createdAt: webhooks.createdAt,
  updatedAt: webhooks.updatedAt,
};

export async function listWebhooks({ companyId }: { companyId: string }): Promise<WebhookRow[]> {
  const db = await getDb();
  return db
    .select(webhookColumns)
    .from(webhooks)
    .where(eq(webhooks.companyId, companyId))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id));
}

export async function findWebhook({ companyId, id }: { companyId: string; id: string }): Promise<WebhookRow | null> {
  const db = await getDb();
  const [row] = await db
    .select(webhookColumns)
    .from(webhooks)
    .where(and(eq(webhooks.companyId, companyId), eq(webhooks.id, id)))
    .limit(1);
  return row ?? null;
}

export async function insertWebhook(values: {
  companyId: string;
  url: string;
  events: string[];
  description: string | null;
  isActive: boolean;
  secretCiphertext: string;
  secretPrefix: string;
  createdById: string | null;
}): Promise<WebhookRow> {
  const db = await getDb();
  const [row] = await db.insert(webhooks).values(values).returning(webhookColumns);
  if (!row) throw new Error("webhook insert returned no row");
  return row;
}

/** Changes the given fields of the company's webhook; null when it has no webhook with this id. */
export async function updateWebhook({
  companyId,
  id,
  changes,
}: {
  companyId: string;
  id: string;
  changes: Partial<{
    url: string;
    events: string[];
    description: string | null;
    isActive: boolean;
    secretCiphertext: string;
    secretPrefix: string;
  }>;
}): Promise<WebhookRow | null> {
  const db = await getDb();
  const [row] = await db
    .update(webhooks)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(webhooks.companyId, companyId), eq(webhooks.id, id)))
    .returning(webhookColumns);
  return row ?? null;
}

/** Deletes the company's webhook and its deliveries; false when it has no webhook with this id. */
export async function deleteWebhook({ companyId, id }: { companyId: string; id: string }): Promise<boolean> {
  const db = await getDb();
  const deleted = await db
    .delete(webhooks)
    .where(and(eq(webhooks.companyId, companyId), eq(webhooks.id, id)))
    .returning({ id: webhooks.id });
  return deleted.length > 0;
}

/**
 * One delivery of the event for every active webhook of the company subscribed to it. A repeated event id
 * records nothing new (unique on webhook and event id). Returns the deliveries to send: those recorded now
 * and those of the same event never attempted yet, which a run that died between recording and sending
 * them left behind.
 */
export async function insertDeliveriesForEvent({
  companyId,
  event,
  eventId,
  payload,
}: {
  companyId: string;
  event: string;
  eventId: string;
  payload: unknown;
}): Promise<{ id: number; webhookId: string; recorded: boolean }[]> {
  const db = await getDb();
  const rows = rowsOf<{ id: number | string; webhook_id: string; recorded: boolean }>(
    await db.execute(sql`
      WITH recorded AS (
        INSERT INTO webhook_deliveries (company_id, webhook_id, event_id, event, payload)
        SELECT company_id, id, ${eventId}::uuid, ${event}, ${JSON.stringify(payload)}::jsonb
        FROM webhooks
        WHERE company_id = ${companyId} AND is_active AND ${event} = ANY(events)
        ORDER BY created_at, id
        ON CONFLICT (webhook_id, event_id) DO NOTHING
        RETURNING id, webhook_id
      )
      SELECT id, webhook_id, true AS recorded FROM recorded
      UNION ALL
      SELECT delivery.id, delivery.webhook_id, false FROM webhook_deliveries delivery
      WHERE delivery.webhook_id IN (SELECT id FROM webhooks WHERE company_id = ${companyId})
        AND delivery.event_id = ${eventId}::uuid AND delivery.status = 'PENDING' AND delivery.attempts = 0
      ORDER BY id`),
  );
  return rows.map((row) => ({ id: Number(row.id), webhookId: row.webhook_id, recorded: row.recorded }));
}

/** Whether any active webhook of the company subscribes to the event (so that its data is worth building). */
export async function hasSubscribedWebhook({
  companyId,
  event,
}: {
  companyId: string;
  event: string;
}): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.companyId, companyId), eq(webhooks.isActive, true), sql`${event} = ANY(${webhooks.events})`))
    .limit(1);
  return row !== undefined;
}

/** A delivery recorded for one webhook whatever its subscriptions (the test event). */
export async function insertDelivery(values: {
  companyId: string;
  webhookId: string;
  event: string;
  eventId: string;
  payload: unknown;
}): Promise<number> {
  const db = await getDb();
  const [row] = await db.insert(webhookDeliveries).values(values).returning({ id: webhookDeliveries.id });
  if (!row) throw new Error("webhook delivery insert returned no row");
  return row.id;
}

export type DeliveryTarget = {
  id: number;
  companyId: string;
  webhookId: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  attempts: number;
  payload: unknown;
  url: string;
  secretCiphertext: string;
  webhookIsActive: boolean;
};

/** The delivery with its webhook's address and secret, or null when either is gone. */
export async function findDeliveryTarget({ deliveryId }: { deliveryId: number }): Promise<DeliveryTarget | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: webhookDeliveries.id,
      companyId: webhookDeliveries.companyId,
      webhookId: webhookDeliveries.webhookId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      payload: webhookDeliveries.payload,
      url: webhooks.url,
      secretCiphertext: webhooks.secretCiphertext,
      webhookIsActive: webhooks.isActive,
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId))
    .limit(1);
  return row ?? null;
}

/** Records one attempt: its answer (or error), the delivery's status, and when the next attempt is due. */
export async function recordDeliveryAttempt({
  deliveryId,
  status,
  statusCode,
  error,
  nextAttemptAt,
}: {
  deliveryId: number;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}): Promise<void> {
  const db = await getDb();
  await db
    .update(webhookDeliveries)
    .set({
      status,
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: statusCode,
      lastError: error,
      nextAttemptAt,
      deliveredAt: status === "SUCCEEDED" ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/** Ends a delivery without another attempt (its webhook was disabled, or its run failed for good). */
export async function abandonDelivery({ deliveryId, error }: { deliveryId: number; error: string }): Promise<void> {
  const db = await getDb();
  await db
    .update(webhookDeliveries)
    .set({ status: "FAILED", lastError: error, nextAttemptAt: null, updatedAt: sql`now()` })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "PENDING")));
}

export type DeliveryRow = {
  id: number;
  eventId: string;
  event: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

const deliveryColumns = {
  id: webhookDeliveries.id,
  eventId: webhookDeliveries.eventId,
  event: webhookDeliveries.event,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  deliveredAt: webhookDeliveries.deliveredAt,
  createdAt: webhookDeliveries.createdAt,
};

/** The webhook's newest deliveries first. */
export async function listDeliveries({
  companyId,
  webhookId,
  limit,
}: {
  companyId: string;
  webhookId: string;
  limit: number;
}): Promise<DeliveryRow[]> {
  const db = await getDb();
  return db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.companyId, companyId), eq(webhookDeliveries.webhookId, webhookId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

export async function findDelivery({ deliveryId }: { deliveryId: number }): Promise<DeliveryRow | null> {
  const db = await getDb();
  const [row] = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.id, deliveryId))
    .limit(1);
  return row ?? null;
}
