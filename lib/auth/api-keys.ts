import { randomToken, sha256Hex } from "@/lib/auth/secrets";

export const API_KEY_PREFIX = "ik_";

/** A new key: the secret shown once, the hash stored, and a short prefix to tell keys apart in lists. */
export function generateApiKey(): { key: string; keyHash: string; prefix: string } {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  return { key, keyHash: sha256Hex(key), prefix: key.slice(0, API_KEY_PREFIX.length + 6) };
}

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX) && token.length > API_KEY_PREFIX.length + 20;
}
