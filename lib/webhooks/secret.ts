import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

const SECRET_PREFIX = "whsec_";
const CIPHERTEXT_VERSION = "v1";

/** A new signing secret (`whsec_` and 32 random bytes) and the first characters lists show. */
export function newSigningSecret(): { secret: string; prefix: string } {
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, prefix: secret.slice(0, SECRET_PREFIX.length + 6) };
}

// A key of its own for this purpose, derived from AUTH_SECRET: changing AUTH_SECRET makes stored secrets unreadable.
function encryptionKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().AUTH_SECRET, "", "intake webhook signing secrets", 32));
}

/** The secret sealed with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function encryptSigningSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [CIPHERTEXT_VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Opens what encryptSigningSecret sealed; throws when it was sealed under another key or altered. */
export function decryptSigningSecret(sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== CIPHERTEXT_VERSION || !iv || !tag || ciphertext === undefined) {
    throw new Error("The webhook's signing secret is not in a known sealed form");
  }
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
