import "server-only";
import { findApiKey, listApiKeys, revokeApiKey, type ApiKeyWithCreator } from "@/db/queries/api-keys";
import { recordAuditEvent } from "@/lib/audit/record";
import { createApiKey } from "@/lib/auth/api-keys";
import type { TenantContext } from "@/lib/auth/context";
import { groupsBeyondCaller } from "@/lib/auth/api-key-permissions";
import type { Group } from "@/lib/auth/groups";
import { DomainError, invalidField } from "@/lib/errors";

export type NewApiKey = ApiKeyWithCreator & { key: string };

export async function createCompanyApiKey(
  ctx: TenantContext,
  { name, groups, expiresAt }: { name: string; groups: Group[]; expiresAt: Date | null },
): Promise<NewApiKey> {
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw invalidField("body.expires_at", "must be in the future");
  }
  const beyond = groupsBeyondCaller(ctx.groups, groups);
  if (beyond.length > 0) {
    throw new DomainError(
      "FORBIDDEN",
      `A key may not be given groups its creator does not have: ${beyond.join(", ")}`,
      { groups_not_held: beyond, your_groups: ctx.groups },
    );
  }
  const created = await createApiKey({
    companyId: ctx.companyId,
    name,
    groups: [...new Set(groups)],
    createdById: ctx.user?.id ?? null,
    expiresAt,
  });
  const stored = await findApiKey({ id: created.id, companyId: ctx.companyId });
  if (!stored) throw new Error("the API key just created was not found");
  await recordAuditEvent(ctx, {
    action: "api_key.created",
    target: { type: "api_key", id: stored.id },
    before: null,
    after: auditedFields(stored),
  });
  return { ...stored, key: created.key };
}

export function listCompanyApiKeys(ctx: TenantContext): Promise<ApiKeyWithCreator[]> {
  return listApiKeys({ companyId: ctx.companyId });
}

/** Revokes the key at once (its next request gets 401); revoking a revoked key again changes nothing. */
export async function revokeCompanyApiKey(ctx: TenantContext, id: string): Promise<ApiKeyWithCreator> {
  const previous = await findApiKey({ id, companyId: ctx.companyId });
  const revoked = previous ? await revokeApiKey({ id, companyId: ctx.companyId }) : false;
  const key = revoked ? await findApiKey({ id, companyId: ctx.companyId }) : null;
  if (!previous || !key) throw new DomainError("NOT_FOUND", `The company has no API key ${id}`, { api_key_id: id });
  if (!previous.revokedAt) {
    await recordAuditEvent(ctx, {
      action: "api_key.revoked",
      target: { type: "api_key", id },
      before: auditedFields(previous),
      after: auditedFields(key),
    });
  }
  return key;
}

/** What the trail shows of a key: never its secret or hash. */
function auditedFields(key: ApiKeyWithCreator): Record<string, unknown> {
  return {
    name: key.name,
    prefix: key.prefix,
    groups: key.groups,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}
