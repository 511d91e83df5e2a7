import "server-only";
import { listAuditEvents, type AuditEventWithActor } from "@/db/queries/audit";
import { decodeAuditCursor, encodeAuditCursor } from "@/lib/audit/cursor";
import { invalidField } from "@/lib/errors";

export type AuditPage = { events: AuditEventWithActor[]; nextCursor: string | null };

/**
 * One page of the caller's company's audit trail, newest first. `before` is the `next_cursor` of the
 * page before; a cursor that is not one is refused naming the parameter.
 */
export async function listCompanyAuditEvents(
  ctx: { companyId: string },
  { limit, before, action, targetType }: { limit: number; before?: string; action?: string; targetType?: string },
): Promise<AuditPage> {
  const position = before === undefined ? null : decodeAuditCursor(before);
  if (before !== undefined && !position) {
    throw invalidField("query.before", "is not a cursor from this list; pass the next_cursor of the previous page");
  }
  // One more than asked tells whether an older page exists, without counting.
  const rows = await listAuditEvents({
    companyId: ctx.companyId,
    limit: limit + 1,
    before: position,
    action,
    targetType,
  });
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.position) : null };
}
