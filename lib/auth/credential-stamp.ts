import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

// A key of its own, derived from AUTH_SECRET, as access tokens have.
function stampKey(secret: string): Buffer {
  return createHash("sha256").update(`intake-credential-stamp:${secret}`).digest();
}

/**
 * A fingerprint of the account's password hash, carried by its sessions and access tokens. Every new
 * password gets a new salt and so a new hash and a new stamp: whatever was issued before stops
 * working at its next request. Keyed by AUTH_SECRET, so nobody can compute one from outside.
 */
export function credentialStamp(passwordHash: string | null, secret = env().AUTH_SECRET): string {
  return createHmac("sha256", stampKey(secret))
    .update(passwordHash ?? "")
    .digest("base64url");
}

/**
 * What a stamp signs for an account: its password hash, and the count of its "sign out everywhere"
 * (left out while it is 0, so stamps issued before the count existed stay valid).
 */
export function credentialOf(account: { passwordHash: string | null; credentialEpoch: number }): string | null {
  return account.credentialEpoch === 0
    ? account.passwordHash
    : `${account.passwordHash ?? ""}#${account.credentialEpoch}`;
}

/** Whether a token's stamp still matches the account's current password (false when it has none). */
export function stampMatches(stamp: unknown, passwordHash: string | null, secret = env().AUTH_SECRET): boolean {
  if (typeof stamp !== "string") return false;
  const expected = Buffer.from(credentialStamp(passwordHash, secret));
  const presented = Buffer.from(stamp);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/**
 * The stamp a browser session carries after this request, or null when the session must end.
 * `carried` is the session's (at sign-in, the one the credentials provider computed from the hash it
 * verified; none for Cognito, which gets the account's current one). `updated` is a stamp the server
 * sent in a session update after the password changed: only the server knows it. A session without a
 * stamp predates them and ends.
 */
export function sessionStamp({
  carried,
  updated,
  signingIn,
  passwordHash,
}: {
  carried: unknown;
  updated: unknown;
  signingIn: boolean;
  passwordHash: string | null;
}): string | null {
  if (signingIn && carried === undefined) return credentialStamp(passwordHash);
  const presented = updated === undefined ? carried : updated;
  return stampMatches(presented, passwordHash) ? (presented as string) : null;
}
