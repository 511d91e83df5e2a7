import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RouteContract } from "@/lib/api/contract";

/**
 * The route files under app/api and what they serve, for the tests that hold them to the contracts
 * (the authorization matrix, the OpenAPI document). Importing a route module needs next-auth mocked:
 * it does not load outside Next's bundler.
 */

const API_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "app", "api");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** `POST /api/jobs/{job_id}/cancel`: a route as the contracts name it. */
export type RouteKey = string;
export const keyOf = (contract: Pick<RouteContract, "method" | "path">): RouteKey =>
  `${contract.method} ${contract.path}`;

/**
 * Routes served outside `route(contract, …)`: each has a gate of its own and no place in the
 * OpenAPI document. Anything else under app/api must be a contract.
 */
export const NON_CONTRACT_ROUTES: ReadonlySet<RouteKey> = new Set([
  // Auth.js's own endpoints (providers, session, csrf, signin, signout, callback): they hand out the session.
  "GET /api/auth/{...nextauth}",
  "POST /api/auth/{...nextauth}",
  // Inngest calls in, signed with the signing key; 404 where Inngest is not configured.
  "GET /api/inngest",
  "POST /api/inngest",
  "PUT /api/inngest",
  // The local storage driver's signed URLs: the signature is the authorisation (403 without it).
  "GET /api/storage/{...key}",
  "PUT /api/storage/{...key}",
  "POST /api/storage/{...key}",
  "PATCH /api/storage/{...key}",
  "DELETE /api/storage/{...key}",
  // No route matched: the JSON 404 envelope instead of Next's HTML page.
  "GET /api/{...path}",
  "POST /api/{...path}",
  "PUT /api/{...path}",
  "PATCH /api/{...path}",
  "DELETE /api/{...path}",
]);

/** A route file's path as the contracts write it: `[job_id]` → `{job_id}`, `[...key]` → `{...key}`. */
function routePathOf(file: string): string {
  const segments = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  return ["/api", ...segments.map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}"))].join("/");
}

/** Where Next looks for a contract's handler: `/api/jobs/{job_id}` → app/api/jobs/[job_id]/route.ts. */
export function routeFileOf(contractPath: string): string {
  const segments = contractPath
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean);
  return path.join(API_DIR, ...segments.map((segment) => segment.replace(/^\{(.+)\}$/, "[$1]")), "route.ts");
}

const routeModules = new Map<string, Promise<Record<string, unknown>>>();
export function routeModule(file: string): Promise<Record<string, unknown>> {
  let loaded = routeModules.get(file);
  if (!loaded) {
    loaded = import(/* @vite-ignore */ file) as Promise<Record<string, unknown>>;
    routeModules.set(file, loaded);
  }
  return loaded;
}

/** Every method every route.ts under app/api exports, as `METHOD /path`. */
export async function servedRoutes(): Promise<RouteKey[]> {
  const files = readdirSync(API_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.join(API_DIR, file));
  const served: RouteKey[] = [];
  for (const file of files) {
    const exported = await routeModule(file);
    for (const method of HTTP_METHODS)
      if (typeof exported[method] === "function") served.push(`${method} ${routePathOf(file)}`);
  }
  return served.sort();
}
