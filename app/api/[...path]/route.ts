import type { NextRequest } from "next/server";
import { ApiError, errorResponse } from "@/lib/api/errors";

// Anything under /api that no route matched: the envelope, not Next's HTML 404 page.
function notFound(request: NextRequest): Response {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  return errorResponse(
    new ApiError("NOT_FOUND", `No API route matches ${request.method} ${request.nextUrl.pathname}`),
    requestId,
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
