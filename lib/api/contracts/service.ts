import { z } from "zod";
import { defineContract } from "@/lib/api/contract";

export const healthContract = defineContract({
  method: "GET",
  path: "/api/health",
  metered: false,
  summary: "Liveness: the process is up",
  tags: ["service"],
  auth: "public",
  response: z.object({ status: z.literal("ok"), timestamp: z.iso.datetime(), uptime_seconds: z.number() }),
});

export const readyContract = defineContract({
  method: "GET",
  path: "/api/ready",
  metered: false,
  summary: "Readiness: the database answers and its migrations are current (503 otherwise)",
  tags: ["service"],
  auth: "public",
  response: z.object({
    status: z.literal("ready"),
    timestamp: z.iso.datetime(),
    checks: z.object({
      database: z.object({ status: z.literal("ok"), driver: z.enum(["postgres", "pglite"]), latency_ms: z.number() }),
      migrations: z.object({ status: z.literal("ok"), applied: z.number().int(), expected: z.number().int() }),
    }),
  }),
  errors: ["SERVICE_UNAVAILABLE"],
});

export const statusContract = defineContract({
  method: "GET",
  path: "/api/status",
  summary: "Service, version, environment and time; the caller too when credentials are sent",
  tags: ["service"],
  auth: "optional",
  response: z.object({
    status: z.literal("ok"),
    service: z.literal("intake"),
    version: z.string(),
    environment: z.string(),
    timestamp: z.iso.datetime(),
    authenticated: z.boolean(),
    user: z.string().nullable().describe("The caller's email (or API key name) when authenticated"),
    company: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  }),
});
