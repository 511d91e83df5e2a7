import "server-only";
import { and, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { apiKeys, companies, users, type ApiKey, type Group } from "@/db/schema";
import { companyRateLimitColumns, type CompanyRateLimitRow } from "@/db/queries/rate-limits";

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
  /** False while a platform admin has the company suspended: the key is valid but may do nothing. */
  companyIsActive: boolean;
  groups: Group[];
} & CompanyRateLimitRow;

/** The key with this hash when it is neither revoked nor expired and its company is not being deleted. */
export async function findActiveApiKey({ keyHash }: { keyHash: string }): Promise<ActiveApiKey | null> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      companyId: apiKeys.companyId,
      companyName: companies.name,
      companySlug: companies.slug,
      companyIsActive: companies.isActive,
      groups: apiKeys.groups,
      ...companyRateLimitColumns,
    })
    .from(apiKeys)
    .innerJoin(companies, eq(companies.id, apiKeys.companyId))
    .where(
      and(
        eq(apiKeys.keyHash, keyHash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        isNull(companies.deletionRequestedAt),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Notes the key's use: at most one write a minute per key, so busy keys do not turn every read into a write. */
export async function touchApiKey({ id }: { id: string }): Promise<void> {
  const db = await getDb();
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(
      and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))),
    );
}

export type ApiKeyWithCreator = Omit<ApiKey, "keyHash"> & {
  creator: { id: string; email: string | null; name: string | null } | null;
};

const listedKeyColumns = {
  id: apiKeys.id,
  companyId: apiKeys.companyId,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  groups: apiKeys.groups,
  createdById: apiKeys.createdById,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
  creatorId: users.id,
  creatorEmail: users.email,
  creatorName: users.name,
};

function withCreator({
  creatorId,
  creatorEmail,
  creatorName,
  ...key
}: Omit<ApiKey, "keyHash"> & { creatorId: string | null; creatorEmail: string | null; creatorName: string | null }) {
  return { ...key, creator: creatorId ? { id: creatorId, email: creatorEmail, name: creatorName } : null };
}

/** The company's keys, newest first, without their hashes. */
export async function listApiKeys({ companyId }: { companyId: string }): Promise<ApiKeyWithCreator[]> {
  const db = await getDb();
  const rows = await db
    .select(listedKeyColumns)
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .where(eq(apiKeys.companyId, companyId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(withCreator);
}

export async function findApiKey({
  id,
  companyId,
}: {
  id: string;
  companyId: string;
}): Promise<ApiKeyWithCreator | null> {
  const db = await getDb();
  const [row] = await db
    .select(listedKeyColumns)
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .where(and(eq(apiKeys.id, id), eq(apiKeys.companyId, companyId)))
    .limit(1);
  return row ? withCreator(row) : null;
}

/**
 * Revokes the company's key; revoking it again keeps the first revocation time. False when the
 * company has no key with this id.
 */
export async function revokeApiKey({ id, companyId }: { id: string; companyId: string }): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.companyId, companyId)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
