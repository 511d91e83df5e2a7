import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/nextauth";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { requestIdFrom } from "@/lib/api/request-id";

// Auth.js answers these; any other /api/auth/* path is an unknown route and gets the JSON 404.
const AUTH_JS_ACTIONS = new Set([
  "providers",
  "session",
  "csrf",
  "signin",
  "signout",
  "callback",
  "verify-request",
  "error",
]);

type Context = { params: Promise<{ nextauth: string[] }> };

function guard(handler: (request: NextRequest) => Promise<Response>) {
  return async (request: NextRequest, context: Context): Promise<Response> => {
    const { nextauth } = await context.params;
    if (!AUTH_JS_ACTIONS.has(nextauth[0] ?? "")) {
      return errorResponse(
        new ApiError("NOT_FOUND", `No API route matches ${request.method} ${request.nextUrl.pathname}`),
        requestIdFrom(request),
      );
    }
    return handler(request);
  };
}

export const GET = guard(handlers.GET);
export const POST = guard(handlers.POST);
