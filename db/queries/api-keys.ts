import "server-only";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, companies, type Group } from "@/db/schema";
import { generateApiKey } from "@/lib/auth/api-keys";
import { sha256Hex } from "@/lib/auth/secrets";

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
  const db = await getDb();
  const generated = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      companyId,
      name,
      groups,
      prefix: generated.prefix,
      keyHash: generated.keyHash,
      createdById: createdById ?? null,
      expiresAt: expiresAt ?? null,
    })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("API key insert returned no row");
  return { id: row.id, key: generated.key, prefix: generated.prefix };
}

export type ActiveApiKey = {
  id: string;
  name: string;
  companyId: string;
  companyName: string;
  companySlug: string;
  groups: Group[];
};

/** The key behind a presented secret when it is neither revoked nor expired and its company is active. */
export async function findActiveApiKey({ key }: { key: string }): Promise<ActiveApiKey | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      companyId: apiKeys.companyId,
      companyName: companies.name,
      companySlug: companies.slug,
      groups: apiKeys.groups,
    })
    .from(apiKeys)
    .innerJoin(companies, eq(companies.id, apiKeys.companyId))
    .where(
      and(
        eq(apiKeys.keyHash, sha256Hex(key)),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        eq(companies.isActive, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  // At most one write a minute per key, so busy keys do not turn every read into a write.
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(
      and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))),
    );
  return row;
}
