import { createRemoteJWKSet, jwtVerify } from "jose";
import { env } from "@/lib/env";
import { toGroups, type Group } from "@/lib/auth/groups";

export type CognitoIdentity = { email: string; name: string | null; groups: Group[]; companySlug: string | null };

let jwks: { issuer: string; keys: ReturnType<typeof createRemoteJWKSet> } | undefined;

function keySet(issuer: string) {
  if (jwks?.issuer !== issuer) {
    jwks = { issuer, keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)) };
  }
  return jwks.keys;
}

/** What Intake takes from a Cognito ID token's claims; null when the token says nothing usable. */
export function identityFromClaims(claims: Record<string, unknown>): CognitoIdentity | null {
  const email = typeof claims.email === "string" ? claims.email : null;
  if (!email) return null;
  const groups = Array.isArray(claims["cognito:groups"]) ? toGroups(claims["cognito:groups"]) : [];
  const name =
    typeof claims.name === "string"
      ? claims.name
      : typeof claims["cognito:username"] === "string"
        ? claims["cognito:username"]
        : null;
  const companySlug = typeof claims["custom:company"] === "string" ? claims["custom:company"] : null;
  return { email, name, groups, companySlug };
}

/** Verifies a Cognito ID token against the pool's published keys; null when Cognito is off or the token fails. */
export async function verifyCognitoIdToken(token: string): Promise<CognitoIdentity | null> {
  const cognito = env().cognito;
  if (!cognito) return null;
  try {
    const { payload } = await jwtVerify(token, keySet(cognito.issuer), {
      issuer: cognito.issuer,
      audience: cognito.clientId,
      // User pools sign with RS256 only; naming it keeps a token from choosing its own algorithm.
      algorithms: ["RS256"],
    });
    if (payload.token_use !== "id") return null;
    return identityFromClaims(payload);
  } catch {
    return null;
  }
}
