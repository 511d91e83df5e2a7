import "server-only";
import { findUserByEmail } from "@/db/queries/users";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/passwords";
import { env } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { DIRECT_ADDRESS } from "@/lib/limits/client-address";
import { limiter, spend } from "@/lib/limits/limiter";
import { incrementRateLimitRejections } from "@/lib/metrics/registry";

/** Who is trying: the account (its email) and the client address (lib/limits/client-address). */
export type PasswordAttempt = { email: string; address: string };

function limits() {
  const config = env();
  const durationSeconds = config.SIGN_IN_WINDOW_SECONDS;
  return {
    account: limiter({ keyPrefix: "sign-in:account", points: config.SIGN_IN_MAX_FAILURES, durationSeconds }),
    address: limiter({ keyPrefix: "sign-in:address", points: config.SIGN_IN_ADDRESS_MAX_FAILURES, durationSeconds }),
    refresh: limiter({ keyPrefix: "refresh:address", points: config.SIGN_IN_ADDRESS_MAX_FAILURES, durationSeconds }),
  };
}

export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

/** "in 14 minutes (at 00:45 UTC)": when a refused caller may try again. */
export function tryAgainIn(retryAfterSeconds: number, now = new Date()): string {
  const at = new Date(now.getTime() + retryAfterSeconds * 1000).toISOString().slice(11, 16);
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait =
    retryAfterSeconds < 60
      ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`
      : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `in ${wait} (at ${at} UTC)`;
}

const refusal = (refused: "account" | "address", retryAfterSeconds: number) =>
  new RateLimitedError(
    `Too many failed sign-ins ${refused === "account" ? "for this account" : "from this address"}; try again ${tryAgainIn(retryAfterSeconds)}`,
    retryAfterSeconds,
  );

/**
 * The refusal an attempt for this account from this address meets now, without spending anything, or null.
 * Auth.js passes only a refusal's code through its sign-in action; the form asks here for the rest.
 */
export async function currentRefusal({ email, address }: PasswordAttempt): Promise<RateLimitedError | null> {
  const current = limits();
  const [account, byAddress] = await Promise.all([current.account, current.address]);
  const [forAccount, forAddress] = await Promise.all([
    account.get(accountKey(email)),
    address === DIRECT_ADDRESS ? null : byAddress.get(address),
  ]);
  const secondsLeft = (spent: { msBeforeNext: number }) => Math.max(1, Math.ceil(spent.msBeforeNext / 1000));
  if (forAccount && forAccount.consumedPoints >= account.points) return refusal("account", secondsLeft(forAccount));
  if (forAddress && forAddress.consumedPoints >= byAddress.points) return refusal("address", secondsLeft(forAddress));
  return null;
}

/**
 * Runs one password check under the guessing limits. Each attempt spends a point for its account and for
 * its address first (one statement each), so a refused attempt never reaches the password (no timing
 * difference to learn from) and concurrent guesses cannot slip past the count. A success gives the
 * account its attempts back and does not count against the address. `check` returns null for a wrong password.
 */
export async function withPasswordGuessLimits<T>(
  attempt: PasswordAttempt,
  check: () => Promise<T | null>,
): Promise<T | null> {
  const current = limits();
  const [account, address] = await Promise.all([current.account, current.address]);
  const key = accountKey(attempt.email);
  // An unknown address (no trusted proxy) is everyone's: counting it would let one guesser lock all out.
  const knownAddress = attempt.address !== DIRECT_ADDRESS;
  const [forAccount, forAddress] = await Promise.all([
    spend(account, key),
    knownAddress ? spend(address, attempt.address) : ({ allowed: true } as const),
  ]);
  if (!forAccount.allowed || !forAddress.allowed) incrementRateLimitRejections("sign_in");
  if (!forAccount.allowed) throw refusal("account", forAccount.retryAfterSeconds);
  if (!forAddress.allowed) throw refusal("address", forAddress.retryAfterSeconds);
  const result = await check();
  if (result !== null) await Promise.all([account.delete(key), knownAddress && address.reward(attempt.address, 1)]);
  return result;
}

/**
 * The account whose password this is, or null (unknown email or wrong password, alike in timing), under
 * the guessing limits: throws RateLimitedError once the account or the address has used its failures.
 */
export function userWithPassword({ email, password, address }: PasswordAttempt & { password: string }) {
  return withPasswordGuessLimits({ email, address }, async () => {
    const user = await findUserByEmail({ email });
    if (!user?.passwordHash) {
      await burnPasswordCheck(password);
      return null;
    }
    return (await verifyPassword(user.passwordHash, password)) ? user : null;
  });
}

/** The same for refresh tokens, per address: `exchange` returns null for a token that is not valid. */
export async function withRefreshGuessLimits<T>(address: string, exchange: () => Promise<T | null>): Promise<T | null> {
  // Refresh tokens are too long to guess; the limit only stops floods, from an address a proxy vouches for.
  if (address === DIRECT_ADDRESS) return exchange();
  const refresh = await limits().refresh;
  const spent = await spend(refresh, address);
  if (!spent.allowed) {
    incrementRateLimitRejections("refresh");
    throw new RateLimitedError(
      `Too many refresh attempts with invalid tokens from this address; try again ${tryAgainIn(spent.retryAfterSeconds)}`,
      spent.retryAfterSeconds,
    );
  }
  const result = await exchange();
  if (result !== null) await refresh.reward(address, 1);
  return result;
}
