import { env } from "@/lib/env";

/**
 * The address a request came from, for per-address limits. Next's route handlers do not expose the
 * socket's address, and X-Forwarded-For / X-Real-IP are anyone's to forge, so they count only behind a
 * proxy the configuration trusts (TRUST_PROXY); otherwise every request shares the one "direct" address
 * (its limit is then shared by all, and the per-account limit does the protecting).
 */
export const DIRECT_ADDRESS = "direct";

/** The request's client address under the configured TRUST_PROXY. */
export function requestAddress(headers: Headers): string {
  return clientAddress(headers, { trustProxy: env().TRUST_PROXY });
}

export function clientAddress(headers: Headers, { trustProxy }: { trustProxy: boolean }): string {
  if (!trustProxy) return DIRECT_ADDRESS;
  // The trusted proxy appends the address that connected to it: the last entry; earlier ones the client wrote.
  const forwarded = headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .at(-1);
  const address = forwarded ?? headers.get("x-real-ip")?.trim();
  return address && /^[\da-fA-F.:]{2,45}$/.test(address) ? address.toLowerCase() : DIRECT_ADDRESS;
}
