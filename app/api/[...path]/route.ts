import type { NextRequest } from "next/server";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { requestIdFrom } from "@/lib/api/request-id";

// Anything under /api that no route matched: the envelope, not Next's HTML 404 page.
function notFound(request: NextRequest): Response {
  return errorResponse(
    new ApiError("NOT_FOUND", `No API route matches ${request.method} ${request.nextUrl.pathname}`),
    requestIdFrom(request),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
