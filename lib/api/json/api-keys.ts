import type { z } from "zod";
import type { ApiKeyWithCreator } from "@/db/queries/api-keys";
import type { apiKeySchema, createdApiKeySchema } from "@/lib/api/contracts/api-keys";
import type { NewApiKey } from "@/lib/auth/api-key-admin";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toApiKeyJson(key: ApiKeyWithCreator): z.input<typeof apiKeySchema> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    groups: key.groups,
    created_by: key.creator,
    created_at: key.createdAt.toISOString(),
    last_used_at: iso(key.lastUsedAt),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
  };
}

export function toCreatedApiKeyJson(key: NewApiKey): z.input<typeof createdApiKeySchema> {
  return { ...toApiKeyJson(key), key: key.key };
}
