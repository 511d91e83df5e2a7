import "server-only";
import { findActiveApiKey, touchApiKey } from "@/db/queries/api-keys";
import { findMembership, isUuid, resolveMembership } from "@/db/queries/memberships";
import { findSuspendedMembership } from "@/db/queries/tenants";
import { findUserById, provisionExternalMember } from "@/db/queries/users";
import { looksLikeJwt, verifyAccessToken } from "@/lib/auth/access-tokens";
import { isApiKey } from "@/lib/auth/api-keys";
import { sha256Hex } from "@/lib/auth/secrets";
import { credentialOf, stampMatches } from "@/lib/auth/credential-stamp";
import { verifyCognitoIdToken } from "@/lib/auth/cognito";
import type { AuthMethod, TenantContext } from "@/lib/auth/context";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { requestLimitsOf } from "@/lib/limits/request-limits";

/**
 * Told the company a request acts in as soon as authentication knows it, before its own lookups finish,
 * so that work for the company (counting the request against its rate limits) runs beside them.
 */
export type CompanyKnown = (companyId: string) => void;

const unauthenticated = (message: string) => new DomainError("AUTHENTICATION_FAILED", message);

/** A platform admin switched the company off: its members and keys are who they say, and may do nothing. */
export const companySuspended = (companyName: string) =>
  new DomainError(
    "FORBIDDEN",
    `The company '${companyName}' is suspended by the platform administrators; nothing can be done in it until it is reactivated`,
    { reason: "company_suspended" },
  );

/** The token of an `Authorization: Bearer <token>` header; null for no header or any other kind. */
export function bearerTokenOf(header: string | null): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? null;
}

/** Reads `Authorization: Bearer …` (an API key, an Intake access token, or a Cognito ID token). */
export async function contextFromAuthorization(header: string, onCompany?: CompanyKnown): Promise<TenantContext> {
  const token = bearerTokenOf(header);
  if (!token) throw unauthenticated("The Authorization header must be 'Bearer <token>'");

  if (isApiKey(token)) {
    const key = await findActiveApiKey({ keyHash: sha256Hex(token) });
    if (!key) throw unauthenticated("The API key is not valid, or has been revoked or has expired");
    if (!key.companyIsActive) throw companySuspended(key.companyName);
    onCompany?.(key.companyId);
    await touchApiKey({ id: key.id });
    return {
      method: "api_key",
      companyId: key.companyId,
      companyName: key.companyName,
      companySlug: key.companySlug,
      groups: key.groups,
      user: null,
      apiKey: { id: key.id, name: key.name },
      rateLimits: requestLimitsOf(key),
    };
  }

  if (looksLikeJwt(token)) {
    const verified = await verifyAccessToken(token);
    if (verified.ok) {
      return userContext(
        verified.claims.userId,
        verified.claims.companyId,
        "access_token",
        verified.claims.credentialStamp,
        onCompany,
      );
    }
    if (verified.reason === "expired") {
      throw unauthenticated("The access token has expired; get a new one from POST /api/auth/refresh");
    }
    if (env().cognito) {
      const identity = await verifyCognitoIdToken(token);
      if (identity) {
        const member = await provisionExternalMember({
          email: identity.email,
          name: identity.name,
          groups: identity.groups,
          companySlug: identity.companySlug ?? env().COGNITO_DEFAULT_COMPANY ?? null,
        });
        if (member) return userContext(member.userId, member.companyId, "cognito");
      }
    }
  }
  throw unauthenticated("The bearer token is not valid");
}

/**
 * A signed-in person acting in a company they belong to, checked now rather than trusted from the
 * token. A browser session falls back to another of the person's companies when its active one is
 * gone; a token is bound to its company. An access token also carries the credential stamp of the
 * password it was issued under (a session's is checked in lib/auth/nextauth.ts's jwt callback).
 */
export async function userContext(
  userId: string,
  companyId: string | null,
  method: AuthMethod,
  credentialStamp?: string,
  onCompany?: CompanyKnown,
): Promise<TenantContext> {
  if (companyId && isUuid(companyId)) onCompany?.(companyId);
  const [user, membership] = await Promise.all([
    findUserById({ id: userId }),
    method === "session" || !companyId
      ? resolveMembership({ userId, preferredCompanyId: companyId })
      : findMembership({ userId, companyId }),
  ]);
  if (!user) throw unauthenticated("The account behind this token no longer exists");
  if (method === "access_token" && !stampMatches(credentialStamp, credentialOf(user))) {
    throw unauthenticated(
      "This token was issued before the account's password changed or it signed out everywhere; log in again",
    );
  }
  if (!membership) {
    const suspended = await findSuspendedMembership({ userId, companyId: method === "session" ? null : companyId });
    if (suspended) throw companySuspended(suspended.companyName);
    throw new DomainError(
      "FORBIDDEN",
      method === "session" || !companyId
        ? "This account is not a member of any active company"
        : "This account is no longer a member of the token's company",
    );
  }
  return {
    method,
    companyId: membership.companyId,
    companyName: membership.companyName,
    companySlug: membership.companySlug,
    groups: membership.groups,
    user: { id: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin },
    apiKey: null,
    rateLimits: requestLimitsOf(membership),
  };
}
