import "server-only";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, companies, type Group } from "@/db/schema";

/** Stores a key by its hash (the secret itself is never stored). Returns its id. */
export async function insertApiKey({
  companyId,
  name,
  groups,
  prefix,
  keyHash,
  createdById,
  expiresAt,
}: {
  companyId: string;
  name: string;
  groups: Group[];
  prefix: string;
  keyHash: string;
  createdById?: string | null;
  expiresAt?: Date | null;
}): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .insert(apiKeys)
    .values({
      companyId,
      name,
      groups,
      prefix,
      keyHash,
      createdById: createdById ?? null,
      expiresAt: expiresAt ?? null,
    })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("API key insert returned no row");
  return row.id;
}

export type ActiveApiKey = {
  id: string;
  name: string;
  companyId: string;
  companyName: string;
  companySlug: string;
  groups: Group[];
};

/** The key with this hash when it is neither revoked nor expired and its company is active. */
export async function findActiveApiKey({ keyHash }: { keyHash: string }): Promise<ActiveApiKey | null> {
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
        eq(apiKeys.keyHash, keyHash),
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
      and(
        eq(apiKeys.id, row.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  return row;
}
