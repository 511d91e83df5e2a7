import { describe, expect, it } from "vitest";
import { decryptSigningSecret, encryptSigningSecret, newSigningSecret } from "@/lib/webhooks/secret";

describe("webhook signing secrets", () => {
  it("are whsec_ secrets, sealed differently each time and opened to the same value", () => {
    const { secret, prefix } = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(prefix)).toBe(true);
    const sealed = encryptSigningSecret(secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(encryptSigningSecret(secret)).not.toBe(sealed);
    expect(decryptSigningSecret(sealed)).toBe(secret);
  });

  it.each([
    ["an altered ciphertext", (sealed: string) => sealed.slice(0, -2) + (sealed.endsWith("AA") ? "BB" : "AA")],
    ["an unknown version", (sealed: string) => sealed.replace(/^v1\./, "v9.")],
    ["a missing part", (sealed: string) => sealed.split(".").slice(0, 3).join(".")],
  ])("refuse %s", (_name, alter) => {
    expect(() => decryptSigningSecret(alter(encryptSigningSecret(newSigningSecret().secret)))).toThrow();
  });
});
