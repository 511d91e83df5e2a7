import { NextResponse, type NextRequest } from "next/server";

const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

/**
 * Sends signed-out visitors of app pages to the sign-in page, remembering where they were going.
 * The sign-in page and invitation links (`/invite/<token>`, for people without a password yet) stay open.
 * Only the cookie's presence is checked here; pages verify the session itself.
 */
export function proxy(request: NextRequest): NextResponse {
  const hasSession = request.cookies
    .getAll()
    .some((cookie) => SESSION_COOKIES.some((name) => cookie.name === name || cookie.name.startsWith(`${name}.`)));
  if (hasSession) return NextResponse.next();
  const url = request.nextUrl.clone();
  const target = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  url.pathname = "/sign-in";
  url.search = target === "/" ? "" : `?callbackUrl=${encodeURIComponent(target)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api|_next/static|_next/image|sign-in|invite/|favicon.ico|.*\\.(?:svg|png|jpg|ico|css|js)$).*)"],
};
