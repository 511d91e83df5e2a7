import type { z } from "zod";
import { apiFetch } from "@/components/api/request";
import type {
  createWebhookContract,
  listWebhookDeliveriesContract,
  listWebhooksContract,
  updateWebhookContract,
  webhookDeliverySchema,
  webhookSchema,
  webhookWithSecretSchema,
} from "@/lib/api/contracts/webhooks";

// Types only: the contracts never reach the browser bundle.
export type Webhook = z.output<typeof webhookSchema>;
export type WebhookWithSecret = z.output<typeof webhookWithSecretSchema>;
export type WebhookDelivery = z.output<typeof webhookDeliverySchema>;
export type NewWebhookRequest = z.input<(typeof createWebhookContract)["body"]>;
export type WebhookChanges = z.input<(typeof updateWebhookContract)["body"]>;
type WebhookList = z.output<(typeof listWebhooksContract)["response"]>;
type DeliveryList = z.output<(typeof listWebhookDeliveriesContract)["response"]>;

export const webhooksQueryKey = ["webhooks"] as const;
export const deliveriesQueryKey = (id: string) => ["webhooks", id, "deliveries"] as const;

const path = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;

export async function fetchWebhooks(): Promise<Webhook[]> {
  return (await apiFetch<WebhookList>("/api/webhooks")).webhooks;
}

export function createWebhook(request: NewWebhookRequest): Promise<WebhookWithSecret> {
  return apiFetch<WebhookWithSecret>("/api/webhooks", { method: "POST", json: request });
}

export function updateWebhook(id: string, changes: WebhookChanges): Promise<Webhook> {
  return apiFetch<Webhook>(path(id), { method: "PUT", json: changes });
}

/** A new signing secret, in `secret` this once: deliveries are signed with it alone from now on. */
export function rotateWebhookSecret(id: string): Promise<WebhookWithSecret> {
  return apiFetch<WebhookWithSecret>(`${path(id)}/rotate-secret`, { method: "POST" });
}

export function deleteWebhook(id: string): Promise<unknown> {
  return apiFetch<unknown>(path(id), { method: "DELETE" });
}

export function sendTestEvent(id: string): Promise<WebhookDelivery> {
  return apiFetch<WebhookDelivery>(`${path(id)}/test`, { method: "POST" });
}

export async function fetchDeliveries(id: string): Promise<WebhookDelivery[]> {
  return (await apiFetch<DeliveryList>(`${path(id)}/deliveries`)).deliveries;
}
