import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How a receiver checks an Intake webhook (the README shows this same function): the signature header holds
 * `v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed with the webhook's signing secret, and the
 * timestamp (Unix seconds) must be within the tolerance of the receiver's clock, so that a captured request
 * cannot be replayed later. Compare against the raw body exactly as received, before parsing it.
 */
export function verifyWebhookSignature({
  secret,
  rawBody,
  timestamp,
  signature,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
}: {
  secret: string;
  rawBody: string;
  timestamp: string | null;
  signature: string | null;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest();
  // The header may carry several signatures (e.g. while a secret is rotated); one match is enough.
  return signature.split(" ").some((entry) => {
    const [version, hex] = entry.split("=", 2);
    if (version !== "v1" || !hex || !/^[0-9a-f]{64}$/.test(hex)) return false;
    return timingSafeEqual(Buffer.from(hex, "hex"), expected);
  });
}
