import { describe, expect, it } from "vitest";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/passwords";

describe("passwords", () => {
  it("hashes with argon2id and verifies the same password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain("correct horse");
    await expect(verifyPassword(hash, "correct horse battery staple")).resolves.toBe(true);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a).not.toBe(b);
    await expect(verifyPassword(a, "same password")).resolves.toBe(true);
    await expect(verifyPassword(b, "same password")).resolves.toBe(true);
  });

  it.each([
    ["a wrong password", "Correct horse battery staple"],
    ["an empty password", ""],
    ["the password with a trailing space", "correct horse battery staple "],
  ])("refuses %s", async (_label, attempt) => {
    const hash = await hashPassword("correct horse battery staple");
    await expect(verifyPassword(hash, attempt)).resolves.toBe(false);
  });

  it.each<[string, string | null | undefined]>([
    ["a null hash", null],
    ["an undefined hash", undefined],
    ["an empty hash", ""],
    ["a garbage hash", "not-a-hash"],
    ["a truncated argon2 hash", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA"],
    ["a bcrypt hash", "$2b$10$abcdefghijklmnopqrstuuJ7Q6nY8rKX8Vb8u0aY9yQ7l0X6bq5e2"],
  ])("returns false (not an error) for %s", async (_label, hash) => {
    await expect(verifyPassword(hash, "anything")).resolves.toBe(false);
  });

  it("burnPasswordCheck spends the time of a check and resolves", async () => {
    await expect(burnPasswordCheck("whatever")).resolves.toBeUndefined();
  });
});
