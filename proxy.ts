import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { isPreflight, preflightHeaders, responseHeaders } from "@/lib/security/cors";
import { API_CONTENT_SECURITY_POLICY, createNonce, pageContentSecurityPolicy } from "@/lib/security/csp";

const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
// Open without a session: the sign-in page, invitation links (for people without a password yet), and the
// API reference (/docs), public like the document it shows.
const OPEN_PAGES = /^\/(?:sign-in(?:\/|$)|invite\/|docs(?:\/|$))/;

/**
 * Every page and /api response passes here. Pages get a Content-Security-Policy with a fresh nonce (Next
 * reads it from the request's header and puts it on its own scripts); signed-out visitors of app pages
 * are sent to the sign-in page, remembering where they were going (only the cookie's presence is
 * checked here; pages verify the session itself). /api answers CORS preflights and gets a policy that
 * loads nothing.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname } = request.nextUrl;
  if (pathname.startsWith("/api/") || pathname === "/api") return apiProxy(request);
  if (pathname !== "/" && pathname.endsWith("/")) return withoutTrailingSlash(request);
  return pageProxy(request);
}

/**
 * The earlier API's clients name collections with a trailing slash (`/api/projects/`): /api answers such a
 * path as the one without it, in place, since many HTTP clients do not follow a redirect (next.config.ts
 * turns Next's own redirect off for this).
 */
function apiProxy(request: NextRequest): NextResponse {
  const allowedOrigins = env().CORS_ORIGINS;
  const origin = request.headers.get("origin");
  const cors = {
    method: request.method,
    origin,
    requestedMethod: request.headers.get("access-control-request-method"),
  };
  const forward = { request: { headers: forwardedFromConfig(request.headers) } };
  const { pathname } = request.nextUrl;
  const response = isPreflight(cors)
    ? new NextResponse(null, { status: 204, headers: preflightHeaders(origin, allowedOrigins) })
    : withHeaders(
        pathname.length > "/api/".length && pathname.endsWith("/")
          ? NextResponse.rewrite(withoutSlash(request.nextUrl), forward)
          : NextResponse.next(forward),
        responseHeaders(origin, allowedOrigins),
      );
  return withHeaders(response, { "Content-Security-Policy": API_CONTENT_SECURITY_POLICY });
}

/** A page asked for with a trailing slash: a permanent redirect to its address without, on APP_URL (as Next would). */
function withoutTrailingSlash(request: NextRequest): NextResponse {
  const target = withoutSlash(request.nextUrl);
  return NextResponse.redirect(new URL(`${target.pathname}${target.search}`, env().APP_URL), 308);
}

function withoutSlash(url: URL): URL {
  const copy = new URL(url);
  copy.pathname = copy.pathname.replace(/\/+$/, "") || "/";
  return copy;
}

function pageProxy(request: NextRequest): NextResponse {
  const config = env();
  const nonce = createNonce();
  const policy = { "Content-Security-Policy": pageContentSecurityPolicy(nonce, config) };
  const response =
    hasSession(request) || OPEN_PAGES.test(request.nextUrl.pathname)
      ? NextResponse.next({
          request: { headers: withHeaders(forwardedFromConfig(request.headers), { ...policy, "x-nonce": nonce }) },
        })
      : NextResponse.redirect(signInUrl(request, config.APP_URL));
  return withHeaders(response, policy);
}

function withHeaders<T extends NextResponse | Headers>(target: T, headers: Record<string, string>): T {
  const set = target instanceof Headers ? target : target.headers;
  for (const [name, value] of Object.entries(headers)) set.set(name, value);
  return target;
}

/**
 * Auth.js (without AUTH_URL) and Next's server-action check take the app's address from X-Forwarded-Host
 * and -Proto, which any client can send. Unless a trusted proxy set them (TRUST_PROXY), they are replaced
 * by APP_URL's for everything downstream.
 */
function forwardedFromConfig(incoming: Headers): Headers {
  const headers = new Headers(incoming);
  const config = env();
  if (config.TRUST_PROXY) return headers;
  const app = new URL(config.APP_URL);
  return withHeaders(headers, { "x-forwarded-host": app.host, "x-forwarded-proto": app.protocol.replace(/:$/, "") });
}

function hasSession(request: NextRequest): boolean {
  return request.cookies
    .getAll()
    .some((cookie) => SESSION_COOKIES.some((name) => cookie.name === name || cookie.name.startsWith(`${name}.`)));
}

/** On the configured address, never the Host or X-Forwarded-Host the request came with. */
function signInUrl(request: NextRequest, appUrl: string): URL {
  const url = new URL("/sign-in", appUrl);
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (target !== "/") url.searchParams.set("callbackUrl", target);
  return url;
}

export const config = {
  // Everything but Next's build output, plain static files (no document, nothing to protect with a policy)
  // and the local store's signed URLs: Next buffers a body that passes through here in memory, and only its
  // first 10 MB (proxyClientMaxBodySize), while an upload may be 1 GiB. next.config.ts gives those the
  // API's policy.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/storage/|.*\\.(?:svg|png|jpg|ico|css|js|woff2?)$).*)"],
};
