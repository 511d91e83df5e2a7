import "server-only";
import { findMembership, resolveMembership } from "@/db/queries/memberships";
import { findSuspendedMembership } from "@/db/queries/tenants";
import { revokeMemberRefreshTokens } from "@/db/queries/refresh-tokens";
import { findUserById } from "@/db/queries/users";
import { signAccessToken, type AccessTokenClaims } from "@/lib/auth/access-tokens";
import { companySuspended } from "@/lib/auth/bearer";
import { credentialOf, credentialStamp } from "@/lib/auth/credential-stamp";
import { issueRefreshToken, rotateRefreshToken } from "@/lib/auth/refresh-tokens";
import { userWithPassword, withRefreshGuessLimits } from "@/lib/auth/sign-in-limits";
import { DomainError } from "@/lib/errors";
import { DIRECT_ADDRESS } from "@/lib/limits/client-address";

export type TokenPair = { access_token: string; refresh_token: string; token_type: "bearer"; expires_in: number };

const invalidCredentials = () => new DomainError("AUTHENTICATION_FAILED", "Invalid email or password");

export async function loginWithPassword({
  email,
  password,
  companyId,
  clientAddress = DIRECT_ADDRESS,
}: {
  email: string;
  password: string;
  companyId?: string;
  /** Where the attempt came from; callers that know none (the seed, scripts) share the direct address. */
  clientAddress?: string;
}): Promise<TokenPair> {
  const user = await userWithPassword({ email, password, address: clientAddress });
  if (!user) throw invalidCredentials();
  const membership = companyId
    ? await findMembership({ userId: user.id, companyId })
    : await resolveMembership({ userId: user.id });
  if (!membership) {
    const suspended = await findSuspendedMembership({ userId: user.id, companyId: companyId ?? null });
    if (suspended) throw companySuspended(suspended.companyName);
    throw new DomainError(
      "FORBIDDEN",
      companyId ? "This account is not a member of that company" : "This account is not a member of any active company",
    );
  }
  return issueTokenPair({
    userId: user.id,
    companyId: membership.companyId,
    credentialStamp: credentialStamp(credentialOf(user)),
  });
}

export async function refreshTokenPair({
  refreshToken,
  clientAddress = DIRECT_ADDRESS,
}: {
  refreshToken: string;
  clientAddress?: string;
}): Promise<TokenPair> {
  const rotated = await withRefreshGuessLimits(clientAddress, () => rotateRefreshToken({ token: refreshToken }));
  if (!rotated)
    throw new DomainError("AUTHENTICATION_FAILED", "The refresh token is not valid, has expired or was already used");
  const [membership, user] = await Promise.all([
    findMembership({ userId: rotated.userId, companyId: rotated.companyId }),
    findUserById({ id: rotated.userId }),
  ]);
  if (!membership || !user) {
    // Removed or deactivated (or the company suspended): the successor just stored must not outlive the refusal.
    await revokeMemberRefreshTokens({ userId: rotated.userId, companyId: rotated.companyId });
    throw new DomainError("AUTHENTICATION_FAILED", "This account is no longer a member of the token's company");
  }
  const access = await signAccessToken({
    userId: rotated.userId,
    companyId: rotated.companyId,
    credentialStamp: credentialStamp(credentialOf(user)),
  });
  return {
    access_token: access.token,
    refresh_token: rotated.refreshToken,
    token_type: "bearer",
    expires_in: access.expiresIn,
  };
}

/** A new pair, its access token stamped with the account's current password. */
export async function issueTokenPair(claims: AccessTokenClaims): Promise<TokenPair> {
  const { userId, companyId } = claims;
  const [access, refresh] = await Promise.all([signAccessToken(claims), issueRefreshToken({ userId, companyId })]);
  return { access_token: access.token, refresh_token: refresh, token_type: "bearer", expires_in: access.expiresIn };
}
