import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { refreshTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function issueRefreshToken({
  userId,
  companyId,
  familyId,
}: {
  userId: string;
  companyId: string;
  familyId?: string;
}): Promise<string> {
  const db = await getDb();
  const token = `rt_${randomToken(32)}`;
  await db.insert(refreshTokens).values({
    userId,
    companyId,
    familyId: familyId ?? crypto.randomUUID(),
    tokenHash: sha256Hex(token),
    expiresAt: new Date(Date.now() + env().REFRESH_TOKEN_TTL_DAYS * DAY_MS),
  });
  return token;
}

export type RotatedRefreshToken = { userId: string; companyId: string; refreshToken: string };

/**
 * Spends a refresh token and issues its successor. A token works once: presenting a spent one again
 * means it was stolen or replayed, so every token of its family is revoked.
 */
export async function rotateRefreshToken({ token }: { token: string }): Promise<RotatedRefreshToken | null> {
  const db = await getDb();
  const tokenHash = sha256Hex(token);
  return db.transaction(async (tx) => {
    const [spent] = await tx
      .update(refreshTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, sql`now()`)),
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
    const refreshToken = `rt_${randomToken(32)}`;
    await tx.insert(refreshTokens).values({
      userId: spent.userId,
      companyId: spent.companyId,
      familyId: spent.familyId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + env().REFRESH_TOKEN_TTL_DAYS * DAY_MS),
    });
    return { userId: spent.userId, companyId: spent.companyId, refreshToken };
  });
}
