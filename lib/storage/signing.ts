import "server-only";
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { isValidKey } from "./keys";

/**
 * The local driver's short-lived URLs, served by `app/api/storage/[...key]/route.ts`:
 *
 *   PUT ${origin}/api/storage/<key>?method=PUT&expires=<unix s>&size=<max bytes>&sig=<hex>
 *   GET ${origin}/api/storage/<key>?method=GET&expires=<unix s>[&name=<file name>]&sig=<hex>
 *
 * The signature (HMAC-SHA256 under a key derived from AUTH_SECRET for this purpose only) covers the
 * method, the key, the expiry, the size limit and the download file name.
 */

/** The route handler that serves signed URLs. */
const LOCAL_STORAGE_ROUTE = "/api/storage";

/** What a URL allows: PUT up to `maxBytes`, or GET (as an attachment named `fileName` when set). */
export type Grant = { method: "PUT" | "GET"; key: string; maxBytes: number | null; fileName: string | null };
type ExpiringGrant = Grant & { expires: number };

export type VerifyFailure = "expired" | "bad-signature" | "wrong-method" | "malformed";
export type VerifyResult =
  | { ok: true; method: "PUT" | "GET"; expiresAt: Date; maxBytes: number | null; fileName: string | null }
  | { ok: false; reason: VerifyFailure };

export type VerifyInput = {
  /** The request's method (HEAD counts as GET). */
  method: string;
  /** The object key, from the URL's path. */
  key: string;
  searchParams: URLSearchParams;
  now?: Date;
};

/** Signs and checks storage URLs with a key derived from `secret` (AUTH_SECRET). */
export class UrlSigner {
  readonly #hmacKey: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error("The local storage driver needs a secret to sign URLs");
    this.#hmacKey = createHash("sha256").update(`intake-storage:${secret}`).digest();
  }

  /** A URL on `origin` that allows `grant` for `expiresInSeconds` from now. */
  sign(
    grant: Grant,
    { origin, expiresInSeconds }: { origin: string; expiresInSeconds: number },
  ): { url: string; expiresAt: Date } {
    if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds <= 0) {
      throw new RangeError(`expiresInSeconds must be a positive integer: ${expiresInSeconds}`);
    }
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const full: ExpiringGrant = { ...grant, expires };
    const query = new URLSearchParams({ method: full.method, expires: String(expires) });
    if (full.maxBytes !== null) query.set("size", String(full.maxBytes));
    if (full.fileName !== null) query.set("name", full.fileName);
    query.set("sig", this.#signature(full));
    const base = new URL(origin);
    const url = `${base.origin}${LOCAL_STORAGE_ROUTE}/${encodeKeyPath(full.key)}?${query.toString()}`;
    return { url, expiresAt: new Date(expires * 1000) };
  }

  /**
   * Checks a request against the signed URL it came with: signature first (timing-safe), then the
   * method, then the expiry.
   */
  verify(input: VerifyInput): VerifyResult {
    const parsed = parseGrant(input.key, input.searchParams);
    if (!parsed) return { ok: false, reason: "malformed" };
    const { grant, sig } = parsed;
    const expected = Buffer.from(this.#signature(grant), "hex");
    const given = Buffer.from(sig, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: "bad-signature" };
    const method = input.method.toUpperCase() === "HEAD" ? "GET" : input.method.toUpperCase();
    if (method !== grant.method) return { ok: false, reason: "wrong-method" };
    const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
    if (now > grant.expires) return { ok: false, reason: "expired" };
    return {
      ok: true,
      method: grant.method,
      expiresAt: new Date(grant.expires * 1000),
      maxBytes: grant.maxBytes,
      fileName: grant.fileName,
    };
  }

  #signature(grant: ExpiringGrant): string {
    // JSON keeps the fields apart: no value can pass for another field's.
    const message = JSON.stringify([
      "intake-storage-v1",
      grant.method,
      grant.key,
      grant.expires,
      grant.maxBytes,
      grant.fileName,
    ]);
    return createHmac("sha256", this.#hmacKey).update(message).digest("hex");
  }
}

/** Each segment percent-encoded, slashes kept: the path part of a URL for the key. */
function encodeKeyPath(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

const DIGITS = /^\d{1,15}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

function single(searchParams: URLSearchParams, name: string): string | null | undefined {
  const values = searchParams.getAll(name);
  if (values.length > 1) return undefined; // repeated: malformed
  return values[0] ?? null;
}

function parseGrant(key: string, searchParams: URLSearchParams): { grant: ExpiringGrant; sig: string } | null {
  if (!isValidKey(key)) return null;
  const method = single(searchParams, "method");
  const expires = single(searchParams, "expires");
  const size = single(searchParams, "size");
  const name = single(searchParams, "name");
  const sig = single(searchParams, "sig");
  if (method !== "PUT" && method !== "GET") return null;
  if (!expires || !DIGITS.test(expires)) return null;
  if (!sig || !SIGNATURE.test(sig)) return null;
  if (size === undefined || name === undefined) return null;
  if (method === "PUT") {
    if (size === null || !DIGITS.test(size) || name !== null) return null;
  } else if (size !== null) {
    return null;
  }
  return {
    grant: { method, key, expires: Number(expires), maxBytes: size === null ? null : Number(size), fileName: name },
    sig,
  };
}
