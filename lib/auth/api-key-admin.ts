import "server-only";
import { findApiKey, listApiKeys, revokeApiKey, type ApiKeyWithCreator } from "@/db/queries/api-keys";
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
  return { ...stored, key: created.key };
}

export function listCompanyApiKeys(ctx: TenantContext): Promise<ApiKeyWithCreator[]> {
  return listApiKeys({ companyId: ctx.companyId });
}

/** Revokes the key at once (its next request gets 401); revoking a revoked key again changes nothing. */
export async function revokeCompanyApiKey(ctx: TenantContext, id: string): Promise<ApiKeyWithCreator> {
  const revoked = await revokeApiKey({ id, companyId: ctx.companyId });
  const key = revoked ? await findApiKey({ id, companyId: ctx.companyId }) : null;
  if (!key) throw new DomainError("NOT_FOUND", `The company has no API key ${id}`, { api_key_id: id });
  return key;
}
