import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { refreshTokens } from "@/db/schema";

/** A refresh token to store: by its hash only (the token itself is handed to its holder, never stored). */
export type StoredRefreshToken = { tokenHash: string; expiresAt: Date };

export async function insertRefreshToken({
  userId,
  companyId,
  familyId,
  token,
}: {
  userId: string;
  companyId: string;
  familyId: string;
  token: StoredRefreshToken;
}): Promise<void> {
  const db = await getDb();
  await db
    .insert(refreshTokens)
    .values({ userId, companyId, familyId, tokenHash: token.tokenHash, expiresAt: token.expiresAt });
}

/**
 * Spends the refresh token with this hash and stores `successor` in its family. A token works once:
 * presenting a spent one again means it was stolen or replayed, so every token of its family is
 * revoked (and null returned, as for an unknown or expired one).
 */
export async function rotateRefreshToken({
  tokenHash,
  successor,
}: {
  tokenHash: string;
  successor: StoredRefreshToken;
}): Promise<{ userId: string; companyId: string } | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [spent] = await tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.revokedAt),
          gt(refreshTokens.expiresAt, sql`now()`),
        ),
      )
      .returning();
    if (!spent) {
      const [known] = await tx
        .select({ familyId: refreshTokens.familyId, revokedAt: refreshTokens.revokedAt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash))
        .limit(1);
      if (known?.revokedAt) {
        await tx
          .update(refreshTokens)
          .set({ revokedAt: new Date() })
          .where(and(eq(refreshTokens.familyId, known.familyId), isNull(refreshTokens.revokedAt)));
      }
      return null;
    }
    await tx.insert(refreshTokens).values({
      userId: spent.userId,
      companyId: spent.companyId,
      familyId: spent.familyId,
      tokenHash: successor.tokenHash,
      expiresAt: successor.expiresAt,
    });
    return { userId: spent.userId, companyId: spent.companyId };
  });
}

/** Revokes every live refresh token the user holds for this company (on `db`, the caller's transaction, when given). */
export async function revokeMemberRefreshTokens({
  userId,
  companyId,
  db,
}: {
  userId: string;
  companyId: string;
  db?: Database;
}): Promise<number> {
  const executor = db ?? (await getDb());
  const revoked = await executor
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(refreshTokens.userId, userId), eq(refreshTokens.companyId, companyId), isNull(refreshTokens.revokedAt)),
    )
    .returning({ id: refreshTokens.id });
  return revoked.length;
}
