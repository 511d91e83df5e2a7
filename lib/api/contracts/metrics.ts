import { z } from "zod";
import { defineContract } from "@/lib/api/contract";

export const metricsContract = defineContract({
  method: "GET",
  path: "/api/metrics",
  metered: false,
  summary: "Prometheus metrics: requests, jobs, rows, issues, background runs, rate-limit refusals",
  description:
    "Prometheus text exposition format (`text/plain; version=0.0.4`). A scraper sends " +
    "`Authorization: Bearer <METRICS_TOKEN>` (a setting; another token gets 403); otherwise a platform " +
    "administrator's credentials. Job, row, issue and background-run numbers are read from the database " +
    "at each scrape, so every server reports the same.",
  tags: ["service"],
  auth: "required",
  platformAdmin: true,
  response: z.string().describe("Prometheus text exposition format"),
});
