import "server-only";
import { insertDeliveriesForEvent } from "@/db/queries/webhooks";
import { dispatch } from "@/lib/background/dispatch";
import { WEBHOOK_DELIVERY_REQUESTED } from "@/lib/background/events";
import type { WebhookEvent, WebhookPayload } from "@/lib/webhooks/events";

/**
 * Records one delivery of the event for each active webhook of the company subscribed to it, and starts
 * sending them in the background (lib/background/functions/deliver-webhook.ts). `eventId` is the
 * occurrence's stable identity: emitting it again records nothing more, and sends only what a run that
 * died between recording and sending left unsent. Returns how many deliveries were recorded now.
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
  const deliveries = await insertDeliveriesForEvent({ companyId, event, eventId, payload });
  // Sent again, a delivery starts no second run: its id is the dispatch's identity.
  for (const { id: deliveryId, webhookId } of deliveries) {
    await dispatch({
      name: WEBHOOK_DELIVERY_REQUESTED,
      data: { deliveryId, companyId },
      id: deliveryDispatchId({ eventId, webhookId }),
    });
  }
  return { deliveries: deliveries.filter((delivery) => delivery.recorded).length };
}

/**
 * The identity of a delivery's background run: one run per delivery, however often it is dispatched. Made
 * of UUIDs, since Inngest drops a repeated event id across its whole environment (another deployment's
 * delivery 7 is not this one's).
 */
export function deliveryDispatchId({ eventId, webhookId }: { eventId: string; webhookId: string }): string {
  return `webhook-delivery-${eventId}-${webhookId}`;
}
