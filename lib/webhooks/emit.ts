import "server-only";
import { insertDeliveriesForEvent } from "@/db/queries/webhooks";
import { dispatch } from "@/lib/background/dispatch";
import { WEBHOOK_DELIVERY_REQUESTED } from "@/lib/background/events";
import type { WebhookEvent, WebhookPayload } from "@/lib/webhooks/events";

/**
 * Records one delivery of the event for each active webhook of the company subscribed to it, and starts
 * sending them in the background (lib/background/functions/deliver-webhook.ts). `eventId` is the
 * occurrence's stable identity: emitting it again records and sends nothing more. Returns how many
 * deliveries were recorded now.
 */
export async function emitWebhookEvent({
  companyId,
  event,
  data,
  eventId,
}: {
  companyId: string;
  event: WebhookEvent;
  data: unknown;
  eventId: string;
}): Promise<{ deliveries: number }> {
  const payload: WebhookPayload = { id: eventId, type: event, created_at: new Date().toISOString(), data };
  const deliveryIds = await insertDeliveriesForEvent({ companyId, event, eventId, payload });
  for (const deliveryId of deliveryIds) {
    await dispatch({ name: WEBHOOK_DELIVERY_REQUESTED, data: { deliveryId, companyId } });
  }
  return { deliveries: deliveryIds.length };
}
