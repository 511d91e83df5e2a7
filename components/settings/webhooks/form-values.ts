import { ApiRequestError } from "@/components/api/request";
import type { Webhook, WebhookChanges } from "@/components/api/webhooks";
import type { WebhookEvent } from "@/lib/webhooks/events";

/** What the webhook form holds while an admin types. */
export type WebhookDraft = { url: string; description: string; events: WebhookEvent[] };

export type WebhookField = keyof WebhookDraft;

export const EMPTY_DRAFT: WebhookDraft = { url: "", description: "", events: ["job.completed"] };

export function draftOf(webhook: Webhook): WebhookDraft {
  return { url: webhook.url, description: webhook.description ?? "", events: [...webhook.events] };
}

/** The fields an edit changed, as PUT /api/webhooks/{id} takes them; null when nothing changed. */
export function changesFrom(webhook: Webhook, draft: WebhookDraft): WebhookChanges | null {
  const url = draft.url.trim();
  const description = draft.description.trim() || null;
  const eventsChanged =
    draft.events.length !== webhook.events.length || draft.events.some((event) => !webhook.events.includes(event));
  const changes: WebhookChanges = {
    ...(url === webhook.url ? {} : { url }),
    ...(eventsChanged ? { events: draft.events } : {}),
    ...(description === webhook.description ? {} : { description }),
  };
  return Object.keys(changes).length === 0 ? null : changes;
}

const FIELD_LABELS: Record<WebhookField, string> = { url: "URL", description: "Description", events: "Events" };

/**
 * The server's refusal in the form's words ("URL: must use https …"), and the field it names, so that the
 * field can be marked invalid; any other failure keeps the server's own message.
 */
export function describeRefusal(error: Error): { field: WebhookField | null; message: string } {
  const refused = error instanceof ApiRequestError ? error.details?.fields : undefined;
  const first: unknown = Array.isArray(refused) ? refused[0] : undefined;
  if (typeof first === "object" && first !== null && "field" in first && "reason" in first) {
    const field = String(first.field).split(".")[1];
    if (field === "url" || field === "description" || field === "events") {
      return { field, message: `${FIELD_LABELS[field]}: ${String(first.reason)}` };
    }
  }
  return { field: null, message: error.message };
}
