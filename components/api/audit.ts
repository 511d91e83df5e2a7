import type { z } from "zod";
import { apiFetch, queryString } from "@/components/api/request";
import type { auditEventSchema, listAuditEventsContract } from "@/lib/api/contracts/audit";

// Types only: the contracts (and the server modules they use) never reach the browser bundle.
export type AuditEvent = z.output<typeof auditEventSchema>;
export type AuditPage = z.output<(typeof listAuditEventsContract)["response"]>;

export const auditQueryKey = ["audit"] as const;

/** One page of the company's audit trail, newest first; `before` is the previous page's next_cursor. */
export function fetchAuditPage({ before, limit }: { before: string | null; limit: number }): Promise<AuditPage> {
  return apiFetch<AuditPage>(`/api/audit${queryString({ limit, before })}`);
}
