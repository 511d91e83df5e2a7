import type { Env } from "@/lib/env";

type CspSettings = Pick<
  Env,
  "NODE_ENV" | "S3_BUCKET" | "S3_ENDPOINT" | "S3_PUBLIC_ENDPOINT" | "S3_REGION" | "S3_FORCE_PATH_STYLE"
>;

/** A fresh, unguessable value for one response's scripts (128 random bits, base64). */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The policy for a page. Scripts run only with this response's nonce ('strict-dynamic' lets those load
 * Next's chunks); React needs eval for its development tooling only. Inline styles are allowed: components
 * set widths in style attributes, and React inserts style elements without a nonce (Next's not-found page);
 * a style cannot run code. The browser PUTs uploads straight to the storage bucket, so its origin is a
 * connect source.
 */
export function pageContentSecurityPolicy(nonce: string, settings: CspSettings): string {
  const development = settings.NODE_ENV !== "production";
  return serialize({
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...uploadOrigins(settings)],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  });
}

/** JSON and files from /api are never rendered as a document: nothing may load from them or frame them. */
export const API_CONTENT_SECURITY_POLICY = serialize({ "default-src": ["'none'"], "frame-ancestors": ["'none'"] });

/** Where the S3 driver's presigned upload URLs point (none for the local driver: its URLs are on this origin). */
export function uploadOrigins(settings: CspSettings): string[] {
  const bucket = settings.S3_BUCKET;
  if (!bucket) return [];
  const browsersEndpoint = settings.S3_PUBLIC_ENDPOINT ?? settings.S3_ENDPOINT;
  if (browsersEndpoint) {
    const endpoint = new URL(browsersEndpoint);
    // The SDK addresses a DNS-compatible bucket as a subdomain of the endpoint unless path style is forced.
    const virtualHosted = settings.S3_FORCE_PATH_STYLE ? [] : [`${endpoint.protocol}//${bucket}.${endpoint.host}`];
    return [endpoint.origin, ...virtualHosted];
  }
  const regional = `https://${bucket}.s3.${settings.S3_REGION}.amazonaws.com`;
  return settings.S3_FORCE_PATH_STYLE ? [`https://s3.${settings.S3_REGION}.amazonaws.com`] : [regional];
}

function serialize(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}
