import { describe, expect, it } from "vitest";
import { credentialOf, credentialStamp, sessionStamp, stampMatches } from "@/lib/auth/credential-stamp";

const SECRET = "a-test-secret-that-is-long-enough-0001";
const OLD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$b2xkc2FsdA$b2xkaGFzaA";
const NEW_HASH = "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA";

describe("credential stamps", () => {
  it("differ by password hash and by secret, and never contain the hash", () => {
    const stamp = credentialStamp(OLD_HASH, SECRET);
    expect(stamp).toMatch(/^[\w-]{43}$/);
    expect(stamp).toBe(credentialStamp(OLD_HASH, SECRET));
    expect(stamp).not.toBe(credentialStamp(NEW_HASH, SECRET));
    expect(stamp).not.toBe(credentialStamp(OLD_HASH, `${SECRET}-other`));
    expect(credentialStamp(null, SECRET)).not.toBe(stamp);
  });

  it.each<[string, unknown, string | null, boolean]>([
    ["the stamp of the current hash", credentialStamp(OLD_HASH, SECRET), OLD_HASH, true],
    ["the stamp of an earlier hash", credentialStamp(OLD_HASH, SECRET), NEW_HASH, false],
    [
      "a stamp made with another secret",
      credentialStamp(OLD_HASH, "another-secret-long-enough-000000"),
      OLD_HASH,
      false,
    ],
    ["no stamp", undefined, OLD_HASH, false],
    ["a number", 42, OLD_HASH, false],
    ["a truncated stamp", credentialStamp(OLD_HASH, SECRET).slice(0, 20), OLD_HASH, false],
    ["the no-password stamp of an account without one", credentialStamp(null, SECRET), null, true],
    ["the no-password stamp once a password is set", credentialStamp(null, SECRET), NEW_HASH, false],
  ])("stampMatches: %s → %s", (_label, stamp, hash, expected) => {
    expect(stampMatches(stamp, hash, SECRET)).toBe(expected);
  });
});

describe("sessionStamp", () => {
  const oldStamp = () => credentialStamp(OLD_HASH);
  const newStamp = () => credentialStamp(NEW_HASH);

  it.each<[string, () => Parameters<typeof sessionStamp>[0], () => string | null]>([
    [
      "a session opened with the current password goes on",
      () => ({ carried: oldStamp(), updated: undefined, signingIn: false, passwordHash: OLD_HASH }),
      oldStamp,
    ],
    [
      "a session opened before the password changed ends",
      () => ({ carried: oldStamp(), updated: undefined, signingIn: false, passwordHash: NEW_HASH }),
      () => null,
    ],
    [
      "the session that changed the password takes the new stamp the server sent",
      () => ({ carried: oldStamp(), updated: newStamp(), signingIn: false, passwordHash: NEW_HASH }),
      newStamp,
    ],
    [
      "an update from a client guessing a stamp ends the session",
      () => ({ carried: oldStamp(), updated: "guessed", signingIn: false, passwordHash: OLD_HASH }),
      () => null,
    ],
    [
      "a session from before stamps existed ends",
      () => ({ carried: undefined, updated: undefined, signingIn: false, passwordHash: OLD_HASH }),
      () => null,
    ],
    [
      "a credentials sign-in keeps the stamp of the hash it verified",
      () => ({ carried: oldStamp(), updated: undefined, signingIn: true, passwordHash: OLD_HASH }),
      oldStamp,
    ],
    [
      "a credentials sign-in racing a reset ends at once",
      () => ({ carried: oldStamp(), updated: undefined, signingIn: true, passwordHash: NEW_HASH }),
      () => null,
    ],
    [
      "a Cognito sign-in (no stamp) takes the account's current one",
      () => ({ carried: undefined, updated: undefined, signingIn: true, passwordHash: null }),
      () => credentialStamp(null),
    ],
  ])("%s", (_label, input, expected) => {
    expect(sessionStamp(input())).toBe(expected());
  });
});

describe("credentialOf", () => {
  it.each([
    [
      "a password, never signed out everywhere: the hash alone (earlier stamps stay valid)",
      { passwordHash: OLD_HASH, credentialEpoch: 0 },
      OLD_HASH,
    ],
    ["no password, never signed out everywhere", { passwordHash: null, credentialEpoch: 0 }, null],
    ["a password, signed out everywhere twice", { passwordHash: OLD_HASH, credentialEpoch: 2 }, `${OLD_HASH}#2`],
    ["no password, signed out everywhere once", { passwordHash: null, credentialEpoch: 1 }, "#1"],
  ])("%s", (_case, account, expected) => {
    expect(credentialOf(account)).toBe(expected);
  });

  it("gives a new stamp after each sign-out everywhere", () => {
    const stamps = [0, 1, 2].map((credentialEpoch) =>
      credentialStamp(credentialOf({ passwordHash: OLD_HASH, credentialEpoch }), SECRET),
    );
    expect(new Set(stamps).size).toBe(3);
  });
});
