import { createHash } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { env } from "@/lib/env";

const ISSUER = "intake";
const AUDIENCE = "intake-api";

/** `credentialStamp` ties the token to the account's password of the moment (lib/auth/credential-stamp.ts). */
export type AccessTokenClaims = { userId: string; companyId: string; credentialStamp: string };

// A key of its own, derived from AUTH_SECRET, so access tokens can never be confused with session cookies.
function signingKey(secret: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(`intake-access-token:${secret}`).digest());
}

export async function signAccessToken(
  claims: AccessTokenClaims,
  options: { secret?: string; ttlSeconds?: number } = {},
): Promise<{ token: string; expiresIn: number }> {
  const ttl = options.ttlSeconds ?? env().ACCESS_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ cid: claims.companyId, cst: claims.credentialStamp, typ: "access" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setJti(crypto.randomUUID())
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .sign(signingKey(options.secret ?? env().AUTH_SECRET));
  return { token, expiresIn: ttl };
}

export type AccessTokenResult = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: "expired" | "invalid" };

export async function verifyAccessToken(token: string, options: { secret?: string } = {}): Promise<AccessTokenResult> {
  try {
    const { payload } = await jwtVerify(token, signingKey(options.secret ?? env().AUTH_SECRET), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    if (
      payload.typ !== "access" ||
      typeof payload.sub !== "string" ||
      typeof payload.cid !== "string" ||
      typeof payload.cst !== "string"
    ) {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, claims: { userId: payload.sub, companyId: payload.cid, credentialStamp: payload.cst } };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: "expired" };
    return { ok: false, reason: "invalid" };
  }
}

/** JWTs have three dot-separated parts; API keys and garbage do not. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}
