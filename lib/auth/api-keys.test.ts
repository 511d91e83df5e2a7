import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, generateApiKey, isApiKey } from "@/lib/auth/api-keys";
import { sha256Hex } from "@/lib/auth/secrets";

describe("generateApiKey", () => {
  it("returns the key once, its SHA-256 to store and a short prefix", () => {
    const { key, keyHash, prefix } = generateApiKey();
    expect(key).toMatch(/^ik_[A-Za-z0-9_-]{43}$/);
    expect(keyHash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(prefix).toBe(key.slice(0, 9));
    expect(prefix.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(isApiKey(key)).toBe(true);
  });

  it("never repeats a key", () => {
    const keys = new Set(Array.from({ length: 50 }, () => generateApiKey().key));
    expect(keys.size).toBe(50);
  });
});

describe("isApiKey", () => {
  it.each<[string, boolean]>([
    [`ik_${"a".repeat(21)}`, true],
    [`ik_${"a".repeat(20)}`, false],
    ["ik_", false],
    [`IK_${"a".repeat(30)}`, false],
    [`pk_${"a".repeat(30)}`, false],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl", false],
    ["", false],
  ])("%j → %s", (token, expected) => {
    expect(isApiKey(token)).toBe(expected);
  });
});

describe("sha256Hex", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ])("%j → %s", (input, expected) => {
    expect(sha256Hex(input)).toBe(expected);
  });
});
