import "server-only";
import {
  insertRefreshToken,
  rotateRefreshToken as rotateStoredToken,
  type StoredRefreshToken,
} from "@/db/queries/refresh-tokens";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";
import { env } from "@/lib/env";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A new refresh token: the secret for its holder, and what is stored of it (its hash and expiry). */
function newRefreshToken(): { token: string; stored: StoredRefreshToken } {
  const token = `rt_${randomToken(32)}`;
  return {
    token,
    stored: { tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + env().REFRESH_TOKEN_TTL_DAYS * DAY_MS) },
  };
}

export async function issueRefreshToken({
  userId,
  companyId,
  familyId,
}: {
  userId: string;
  companyId: string;
  familyId?: string;
}): Promise<string> {
  const { token, stored } = newRefreshToken();
  await insertRefreshToken({ userId, companyId, familyId: familyId ?? crypto.randomUUID(), token: stored });
  return token;
}

export type RotatedRefreshToken = { userId: string; companyId: string; refreshToken: string };

/**
 * Spends a refresh token and issues its successor. A token works once: presenting a spent one again
 * means it was stolen or replayed, so every token of its family is revoked.
 */
export async function rotateRefreshToken({ token }: { token: string }): Promise<RotatedRefreshToken | null> {
  const successor = newRefreshToken();
  const rotated = await rotateStoredToken({ tokenHash: sha256Hex(token), successor: successor.stored });
  return rotated ? { ...rotated, refreshToken: successor.token } : null;
}
