import "server-only";
import { insertAuditEvent } from "@/db/queries/audit";
import { currentRequestId } from "@/lib/request-scope";

/** What changed: `before` and `after` hold only the fields that matter to a reader (never secrets or hashes). */
export type AuditChange = {
  action: AuditAction;
  target: { type: AuditTargetType; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** The company the change belongs to; the caller's own company unless given (null for platform-wide changes). */
  companyId?: string | null;
};

export const AUDIT_TARGET_TYPES = [
  "company",
  "member",
  "invitation",
  "api_key",
  "tenant",
  "account",
  "webhook",
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export const AUDIT_ACTIONS = [
  "company.renamed",
  "member.added",
  "member.invited",
  "member.invitation_accepted",
  "member.updated",
  "member.removed",
  "api_key.created",
  "api_key.revoked",
  "tenant.created",
  "tenant.updated",
  "tenant.deletion_requested",
  "account.signed_out_everywhere",
  "account.renamed",
  "account.password_changed",
  "webhook.created",
  "webhook.updated",
  "webhook.secret_rotated",
  "webhook.deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Records who changed what, from what to what, and in which request. */
/**
 * Who acts, as the recorder needs it: a TenantContext (lib/auth/context.ts) is one. Spelled out here
 * because lib/auth records its own changes, and lib/audit importing lib/auth back would make a cycle.
 */
export type AuditActor = {
  companyId: string;
  user: { id: string } | null;
  apiKey: { id: string } | null;
};

export async function recordAuditEvent(ctx: AuditActor | null, change: AuditChange): Promise<void> {
  await insertAuditEvent({
    companyId: change.companyId === undefined ? (ctx?.companyId ?? null) : change.companyId,
    actorUserId: ctx?.user?.id ?? null,
    actorApiKeyId: ctx?.apiKey?.id ?? null,
    action: change.action,
    targetType: change.target.type,
    targetId: change.target.id,
    details: { before: change.before ?? null, after: change.after ?? null },
    requestId: currentRequestId(),
  });
}
