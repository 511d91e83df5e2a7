import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import { API_CONTENT_SECURITY_POLICY } from "./lib/security/csp";
import { securityHeaders } from "./lib/security/headers";

// The Content-Security-Policy is set per response in proxy.ts (it carries a nonce); these are fixed.
// Server actions keep Next's own check that Origin matches Host: no serverActions.allowedOrigins here.
export default function nextConfig(phase: string): NextConfig {
  return {
    output: "standalone",
    poweredByHeader: false,
    // proxy.ts answers /api paths with a trailing slash (the earlier API's style) in place and redirects pages.
    skipTrailingSlashRedirect: true,
    // Native, WebAssembly or worker-based packages are loaded from node_modules at run time, not bundled.
    serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pino", "pino-pretty", "postgres"],
    headers: () =>
      Promise.resolve([
        { source: "/:path*", headers: securityHeaders(phase !== PHASE_DEVELOPMENT_SERVER) },
        // The storage route bypasses proxy.ts (see its matcher): its files get the API's policy here.
        {
          source: "/api/storage/:path*",
          headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }],
        },
      ]),
  };
}
