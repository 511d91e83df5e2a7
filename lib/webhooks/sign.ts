import { createHmac } from "node:crypto";

export const WEBHOOK_ID_HEADER = "Intake-Webhook-Id";
export const WEBHOOK_EVENT_HEADER = "Intake-Webhook-Event";
export const WEBHOOK_TIMESTAMP_HEADER = "Intake-Webhook-Timestamp";
export const WEBHOOK_SIGNATURE_HEADER = "Intake-Webhook-Signature";

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`: what lib/webhooks/verify.ts (and the README) check. */
export function webhookSignature({ secret, timestamp, body }: { secret: string; timestamp: number; body: string }) {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The headers of one delivery attempt; the timestamp is the attempt's, so each attempt is signed afresh. */
export function signedHeaders({
  secret,
  eventId,
  event,
  body,
  timestamp,
}: {
  secret: string;
  eventId: string;
  event: string;
  body: string;
  timestamp: number;
}): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Intake-Webhooks/1",
    [WEBHOOK_ID_HEADER]: eventId,
    [WEBHOOK_EVENT_HEADER]: event,
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: webhookSignature({ secret, timestamp, body }),
  };
}
