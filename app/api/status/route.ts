import { route } from "@/lib/api/route";
import { statusContract } from "@/lib/api/contracts/service";
import { env } from "@/lib/env";
import packageJson from "@/package.json";

export const dynamic = "force-dynamic";

export const GET = route(statusContract, ({ ctx }) => ({
  status: "ok" as const,
  service: "intake" as const,
  version: packageJson.version,
  environment: env().APP_ENV,
  timestamp: new Date().toISOString(),
  authenticated: ctx !== null,
  user: ctx ? (ctx.user?.email ?? ctx.apiKey?.name ?? null) : null,
  company: ctx ? { id: ctx.companyId, name: ctx.companyName } : null,
}));
