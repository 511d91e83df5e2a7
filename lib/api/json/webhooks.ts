import type { z } from "zod";
import type { DeliveryRow, WebhookRow } from "@/db/queries/webhooks";
import type { webhookDeliverySchema, webhookSchema, webhookWithSecretSchema } from "@/lib/api/contracts/webhooks";
import type { WebhookEvent } from "@/lib/webhooks/events";
import type { WebhookWithSecret } from "@/lib/webhooks/admin";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toWebhookJson(webhook: WebhookRow): z.input<typeof webhookSchema> {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events as WebhookEvent[],
    description: webhook.description,
    active: webhook.isActive,
    secret_prefix: webhook.secretPrefix,
    created_at: webhook.createdAt.toISOString(),
    updated_at: webhook.updatedAt.toISOString(),
  };
}

export function toWebhookWithSecretJson(webhook: WebhookWithSecret): z.input<typeof webhookWithSecretSchema> {
  return { ...toWebhookJson(webhook), secret: webhook.secret };
}

export function toWebhookDeliveryJson(delivery: DeliveryRow): z.input<typeof webhookDeliverySchema> {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event: delivery.event,
    status: delivery.status,
    status_code: delivery.lastStatusCode,
    attempts: delivery.attempts,
    next_attempt_at: iso(delivery.nextAttemptAt),
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    delivered_at: iso(delivery.deliveredAt),
  };
}
