import type { NextRequest } from "next/server";
import { env } from "@/lib/env";

/**
 * The app's public origin for URLs handed to clients: the configured APP_URL. The request's own Host or
 * X-Forwarded-Host is anyone's to forge, so the forwarded headers count only behind a proxy the
 * configuration trusts (TRUST_PROXY), which sets them itself.
 */
export function publicOrigin(request: NextRequest): string {
  const config = env();
  if (config.TRUST_PROXY) {
    const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
    const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "https";
    if (host && /^[\w.:-]+$/.test(host) && (proto === "http" || proto === "https")) return `${proto}://${host}`;
  }
  return new URL(config.APP_URL).origin;
}
