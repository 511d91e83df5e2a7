import { createHash, randomBytes } from "node:crypto";

/** Tokens and keys are high-entropy, so a plain SHA-256 is the right hash for looking them up. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
