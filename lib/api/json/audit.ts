import type { z } from "zod";
import type { AuditEventWithActor } from "@/db/queries/audit";
import type { auditEventSchema } from "@/lib/api/contracts/audit";

type AuditEventJson = z.input<typeof auditEventSchema>;

type StoredDetails = { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null } | null;

export function toAuditEventJson(event: AuditEventWithActor): AuditEventJson {
  const details = event.details as StoredDetails;
  return {
    id: String(event.id),
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    actor: actorOf(event),
    before: details?.before ?? null,
    after: details?.after ?? null,
    request_id: event.requestId,
    created_at: event.createdAt.toISOString(),
  };
}

function actorOf(event: AuditEventWithActor): AuditEventJson["actor"] {
  if (event.actorUserId) {
    return { type: "user", id: event.actorUserId, email: event.actorEmail, name: event.actorName };
  }
  if (event.actorApiKeyId)
    return { type: "api_key", id: event.actorApiKeyId, email: null, name: event.actorApiKeyName };
  return { type: "system", id: null, email: null, name: null };
}
