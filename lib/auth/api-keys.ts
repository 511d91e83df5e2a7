import "server-only";
import { insertApiKey } from "@/db/queries/api-keys";
import type { Group } from "@/db/schema";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";

export const API_KEY_PREFIX = "ik_";

/** A new key: the secret shown once, the hash stored, and a short prefix to tell keys apart in lists. */
export function generateApiKey(): { key: string; keyHash: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, keyHash: sha256Hex(key), prefix: key.slice(0, API_KEY_PREFIX.length + 6) };
}

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX) && token.length > API_KEY_PREFIX.length + 20;
}

/** A new key of the company, stored by its hash: the secret is returned here, once. */
export async function createApiKey({
  companyId,
  name,
  groups,
  createdById,
  expiresAt,
}: {
  companyId: string;
  name: string;
  groups: Group[];
  createdById?: string | null;
  expiresAt?: Date | null;
}): Promise<{ id: string; key: string; prefix: string }> {
  const generated = generateApiKey();
  const id = await insertApiKey({
    companyId,
    name,
    groups,
    prefix: generated.prefix,
    keyHash: generated.keyHash,
    createdById,
    expiresAt,
  });
  return { id, key: generated.key, prefix: generated.prefix };
}
