import "server-only";
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { companies, memberships, refreshTokens, users, type Group, type User } from "@/db/schema";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail({ email }: { email: string }): Promise<User | null> {
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, normaliseEmail(email)))
    .limit(1);
  return user ?? null;
}

export async function findUserById({ id }: { id: string }): Promise<User | null> {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user ?? null;
}

/** The platform administrator created first, or null when there is none. */
export async function findFirstPlatformAdmin(): Promise<User | null> {
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.isPlatformAdmin, true))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  return user ?? null;
}

export async function countUsers(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ users: count() }).from(users);
  return row?.users ?? 0;
}

/**
 * The first administrator (a platform admin in the admin group) and the company named `companyName`
 * (found by its slug when it exists), in one transaction. False when the administrator's email is
 * taken already: another server starting at the same moment created them first.
 */
export async function createFirstAdmin({
  email,
  passwordHash,
  companyName,
  slug,
}: {
  email: string;
  passwordHash: string;
  companyName: string;
  slug: string;
}): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.insert(companies).values({ name: companyName, slug }).onConflictDoNothing({ target: companies.slug });
    const [company] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.slug, slug)).limit(1);
    const [user] = await tx
      .insert(users)
      .values({ email, name: "Administrator", passwordHash, isPlatformAdmin: true, emailVerified: new Date() })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!company || !user) return false;
    await tx.insert(memberships).values({ companyId: company.id, userId: user.id, groups: ["admin"] });
    return true;
  });
}

/**
 * Replaces the account's password hash and revokes every refresh token it holds, in one
 * transaction; sessions and access tokens end through their credential stamp.
 */
export async function replacePasswordHash({
  userId,
  passwordHash,
}: {
  userId: string;
  passwordHash: string;
}): Promise<{ credentialEpoch: number; revokedRefreshTokens: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash })
      .where(eq(users.id, userId))
      .returning({ credentialEpoch: users.credentialEpoch });
    return {
      credentialEpoch: updated?.credentialEpoch ?? 0,
      revokedRefreshTokens: await revokeRefreshTokens(tx, userId),
    };
  });
}

/** Raises the account's credential epoch and revokes its refresh tokens: every session and token of it ends. */
export async function raiseCredentialEpoch({
  userId,
}: {
  userId: string;
}): Promise<{ found: boolean; revokedRefreshTokens: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const raised = await tx
      .update(users)
      .set({ credentialEpoch: sql`${users.credentialEpoch} + 1` })
      .where(eq(users.id, userId))
      .returning({ id: users.id });
    return { found: raised.length > 0, revokedRefreshTokens: await revokeRefreshTokens(tx, userId) };
  });
}

async function revokeRefreshTokens(tx: Database, userId: string): Promise<number> {
  const revoked = await tx
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return revoked.length;
}

export async function setPlatformAdmin({ userId }: { userId: string }): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, userId));
}

export async function renameUser({ userId, name }: { userId: string; name: string }): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ name }).where(eq(users.id, userId));
}

/**
 * Someone signed in through an outside identity provider (Cognito): make sure they exist and belong
 * to the company, with the groups the provider says they have (the provider is the source of truth).
 */
export async function provisionExternalMember({
  email,
  name,
  groups,
  companySlug,
}: {
  email: string;
  name: string | null;
  groups: Group[];
  companySlug: string | null;
}): Promise<{ userId: string; companyId: string } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [company] = companySlug
      ? await tx.select({ id: companies.id }).from(companies).where(eq(companies.slug, companySlug)).limit(1)
      : await tx.select({ id: companies.id }).from(companies).orderBy(companies.createdAt).limit(1);
    if (!company) return null;
    const normalised = normaliseEmail(email);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, normalised))
      .limit(1);
    const userId =
      existing?.id ??
      (
        await tx
          .insert(users)
          .values({ email: normalised, name, emailVerified: new Date() })
          .returning({ id: users.id })
      )[0]?.id;
    if (!userId) return null;
    const effectiveGroups: Group[] = groups.length > 0 ? groups : ["viewer"];
    await tx
      .insert(memberships)
      .values({ companyId: company.id, userId, groups: effectiveGroups })
      .onConflictDoUpdate({ target: [memberships.companyId, memberships.userId], set: { groups: effectiveGroups } });
    return { userId, companyId: company.id };
  });
}
