import { createHash } from "node:crypto";
import { SignJWT, decodeJwt } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { looksLikeJwt, signAccessToken, verifyAccessToken } from "@/lib/auth/access-tokens";

const SECRET = "a-test-secret-that-is-long-enough-0001";
const OTHER_SECRET = "another-test-secret-long-enough-00002";
const claims = { userId: "user-1", companyId: "7b0c2a52-3f0e-4a43-9a57-4b9d6f3f2a10", credentialStamp: "stamp-1" };

// The same derivation as the module's (private) signing key, to forge tokens that differ in one claim.
const keyFor = (secret: string) =>
  new Uint8Array(createHash("sha256").update(`intake-access-token:${secret}`).digest());

async function forge(
  payload: Record<string, unknown>,
  overrides: { issuer?: string; audience?: string; alg?: string } = {},
) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: overrides.alg ?? "HS256", typ: "JWT" })
    .setIssuer(overrides.issuer ?? "intake")
    .setAudience(overrides.audience ?? "intake-api")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(keyFor(SECRET));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("access tokens", () => {
  it("round-trips the claims", async () => {
    const { token, expiresIn } = await signAccessToken(claims, { secret: SECRET, ttlSeconds: 120 });
    expect(expiresIn).toBe(120);
    expect(looksLikeJwt(token)).toBe(true);
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({
      sub: "user-1",
      cid: claims.companyId,
      cst: "stamp-1",
      typ: "access",
      iss: "intake",
      aud: "intake-api",
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);
    expect(typeof payload.jti).toBe("string");
    await expect(verifyAccessToken(token, { secret: SECRET })).resolves.toEqual({ ok: true, claims });
  });

  it("gives every token its own id", async () => {
    const a = await signAccessToken(claims, { secret: SECRET });
    const b = await signAccessToken(claims, { secret: SECRET });
    expect(decodeJwt(a.token).jti).not.toBe(decodeJwt(b.token).jti);
  });

  it("uses ACCESS_TOKEN_TTL_SECONDS (900 by default) and AUTH_SECRET from the configuration", async () => {
    const { token, expiresIn } = await signAccessToken(claims);
    expect(expiresIn).toBe(900);
    await expect(verifyAccessToken(token)).resolves.toEqual({ ok: true, claims });
    await expect(verifyAccessToken(token, { secret: SECRET })).resolves.toEqual({ ok: false, reason: "invalid" });
  });

  it("reports an expired token as expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const { token } = await signAccessToken(claims, { secret: SECRET, ttlSeconds: 60 });
    vi.setSystemTime(new Date("2030-01-01T00:00:59Z"));
    await expect(verifyAccessToken(token, { secret: SECRET })).resolves.toEqual({ ok: true, claims });
    vi.setSystemTime(new Date("2030-01-01T00:01:01Z"));
    await expect(verifyAccessToken(token, { secret: SECRET })).resolves.toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a token signed with another secret", async () => {
    const { token } = await signAccessToken(claims, { secret: OTHER_SECRET });
    await expect(verifyAccessToken(token, { secret: SECRET })).resolves.toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects a token whose payload was changed", async () => {
    const { token } = await signAccessToken(claims, { secret: SECRET });
    const [header, payload, signature] = token.split(".");
    const original = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    const changed = { ...original, sub: "someone-else" };
    const tampered = [header, Buffer.from(JSON.stringify(changed)).toString("base64url"), signature].join(".");
    expect(tampered).not.toBe(token);
    await expect(verifyAccessToken(tampered, { secret: SECRET })).resolves.toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects a token whose signature was changed", async () => {
    const { token } = await signAccessToken(claims, { secret: SECRET });
    const [header, payload, signature = ""] = token.split(".");
    // Change the first character: the last one carries padding bits and may decode to the same bytes.
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    await expect(verifyAccessToken([header, payload, flipped].join("."), { secret: SECRET })).resolves.toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it.each<[string, () => Promise<string>]>([
    ["a token of another type", () => forge({ sub: "u", cid: "c", cst: "s", typ: "refresh" })],
    ["a token without a company", () => forge({ sub: "u", cst: "s", typ: "access" })],
    ["a token without a credential stamp", () => forge({ sub: "u", cid: "c", typ: "access" })],
    ["a token without a subject", () => forge({ cid: "c", cst: "s", typ: "access" })],
    [
      "a token from another issuer",
      () => forge({ sub: "u", cid: "c", cst: "s", typ: "access" }, { issuer: "elsewhere" }),
    ],
    [
      "a token for another audience",
      () => forge({ sub: "u", cid: "c", cst: "s", typ: "access" }, { audience: "other" }),
    ],
    ["a token signed with HS512", () => forge({ sub: "u", cid: "c", cst: "s", typ: "access" }, { alg: "HS512" })],
    [
      "an unsigned token",
      () =>
        Promise.resolve(
          `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "u", cid: "c", cst: "s", typ: "access", iss: "intake", aud: "intake-api", exp: 4_102_444_800 })}.`,
        ),
    ],
    ["garbage", () => Promise.resolve("not-a-token")],
    ["an empty string", () => Promise.resolve("")],
  ])("rejects %s as invalid", async (_label, make) => {
    await expect(verifyAccessToken(await make(), { secret: SECRET })).resolves.toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("accepts a forged token only when every claim is right (the forging helper is sound)", async () => {
    const token = await forge({ sub: "u", cid: "c", cst: "s", typ: "access" });
    await expect(verifyAccessToken(token, { secret: SECRET })).resolves.toEqual({
      ok: true,
      claims: { userId: "u", companyId: "c", credentialStamp: "s" },
    });
  });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("looksLikeJwt", () => {
  it.each<[string, boolean]>([
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl", true],
    ["a.b.c", true],
    ["a-_.b-_.c-_", true],
    ["a.b", false],
    ["a.b.c.d", false],
    ["a.b.", false],
    [".b.c", false],
    ["a..c", false],
    ["a.b.c ", false],
    ["a.b+/.c", false],
    ["ik_abcdefghijklmnopqrstuvwxyz", false],
    ["", false],
  ])("%j → %s", (token, expected) => {
    expect(looksLikeJwt(token)).toBe(expected);
  });
});
