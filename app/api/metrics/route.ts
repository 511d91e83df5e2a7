import type { NextRequest } from "next/server";
import { route } from "@/lib/api/route";
import { metricsContract } from "@/lib/api/contracts/metrics";
import { assertMetricsToken, presentsMetricsToken } from "@/lib/auth/metrics-token";
import { METRICS_CONTENT_TYPE, metricsText } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

const metricsResponse = async () =>
  new Response(await metricsText(), { headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });

// The wrapper identifies users and API keys; the metrics token is no one's, so it is checked here instead.
const forPlatformAdmin = route(metricsContract, metricsResponse);
const forMetricsToken = route({ ...metricsContract, auth: "public", platformAdmin: false }, async ({ request }) => {
  assertMetricsToken(request.headers.get("authorization"));
  return metricsResponse();
});

export const GET = (request: NextRequest, context: Parameters<typeof forPlatformAdmin>[1]) =>
  presentsMetricsToken(request.headers.get("authorization"))
    ? forMetricsToken(request, context)
    : forPlatformAdmin(request, context);
