/** The events a webhook may subscribe to. */
export const WEBHOOK_EVENTS = [
  "job.completed",
  "job.needs_review",
  "job.failed",
  "job.reverted",
  "session.completed",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by "Send test event" whatever the webhook subscribes to. */
export const TEST_EVENT = "ping";

/** What a delivery's body is: the same in every attempt of the delivery. */
export type WebhookPayload = { id: string; type: string; created_at: string; data: unknown };
