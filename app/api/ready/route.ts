import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { readyContract } from "@/lib/api/contracts/service";
import { checkReadiness } from "@/lib/service/readiness";

export const dynamic = "force-dynamic";

export const GET = route(readyContract, async ({ log }) => {
  const readiness = await checkReadiness();
  if (!readiness.ready) {
    log.warn({ details: readiness.details }, "not ready");
    throw new ApiError("SERVICE_UNAVAILABLE", readiness.reason, readiness.details);
  }
  return {
    status: "ready" as const,
    timestamp: new Date().toISOString(),
    checks: {
      database: { status: "ok" as const, driver: readiness.database.driver, latency_ms: readiness.database.latencyMs },
      migrations: { status: "ok" as const, ...readiness.migrations },
    },
  };
});
