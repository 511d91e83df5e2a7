import type { NextRequest } from "next/server";
import { env } from "@/lib/env";

/** The app's public origin as the client sees it (behind a proxy, from the forwarded headers when trusted). */
export function publicOrigin(request: NextRequest): string {
  if (env().AUTH_TRUST_HOST) {
    const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
    const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "https";
    if (host && /^[\w.:-]+$/.test(host) && (proto === "http" || proto === "https")) return `${proto}://${host}`;
  }
  return request.nextUrl.origin;
}
