import { route } from "@/lib/api/route";
import { healthContract } from "@/lib/api/contracts/service";

export const dynamic = "force-dynamic";

export const GET = route(healthContract, () => ({
  status: "ok" as const,
  timestamp: new Date().toISOString(),
  uptime_seconds: Math.round(process.uptime()),
}));
