import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { requestIdFrom } from "@/lib/api/request-id";
import { inngestSettings } from "@/lib/env";

type Handler = (request: NextRequest, context: unknown) => Promise<Response>;

const handlers = serve({ client: inngest, functions });

/**
 * Inngest calls this endpoint to discover and run Intake's functions (signed with the signing key).
 * Without Inngest configured, background work runs in-process and there is nothing to serve.
 */
function served(method: "GET" | "POST" | "PUT"): Handler {
  return async (request, context) => {
    if (!inngestSettings().enabled) {
      return errorResponse(
        new ApiError("NOT_FOUND", "Inngest is not configured here (set INNGEST_SIGNING_KEY or INNGEST_DEV=1)"),
        requestIdFrom(request),
      );
    }
    return handlers[method](request, context);
  };
}

export const GET = served("GET");
export const POST = served("POST");
export const PUT = served("PUT");
