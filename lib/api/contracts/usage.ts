import { z } from "zod";
import { defineContract } from "@/lib/api/contract";

const day = z.iso.date("must be a day written YYYY-MM-DD");
const count = z.number().int().min(0);

const byStatusClass = z
  .object({ "2xx": count, "3xx": count, "4xx": count, "5xx": count })
  .describe("Requests by status class");

const averageDurationMs = z.number().min(0).describe("Mean time to answer, in milliseconds (0 without requests)");

export const usageReportSchema = z.object({
  from: day.describe("First day covered (UTC)"),
  to: day.describe("Last day covered (UTC), included"),
  days: z
    .array(
      z.object({
        date: day,
        requests: count,
        by_status_class: byStatusClass,
        routes: z
          .array(
            z.object({
              method: z.string(),
              route: z.string().describe("The route's path template, e.g. /api/jobs/{job_id}"),
              status: z.number().int(),
              requests: count,
            }),
          )
          .describe("The day's requests by route and status"),
      }),
    )
    .describe("Every day of the range, oldest first, those without requests too"),
  routes: z
    .array(
      z.object({
        method: z.string(),
        route: z.string(),
        requests: count,
        by_status_class: byStatusClass,
        average_duration_ms: averageDurationMs,
      }),
    )
    .describe("Each route's requests over the range, the busiest first"),
  totals: z.object({ requests: count, by_status_class: byStatusClass, average_duration_ms: averageDurationMs }),
  limits: z
    .object({
      rate_limit_per_minute: z.number().int(),
      rate_limit_per_hour: z.number().int(),
      rate_limit_per_day: z.number().int(),
    })
    .describe("The company's current rate limits"),
});

export const getUsageContract = defineContract({
  method: "GET",
  path: "/api/usage",
  summary: "The company's API requests per day, by route and status, with totals and its rate limits",
  description:
    "Every API request a member or API key of the company makes is counted (its route template, status and " +
    "time to answer); requests are written in batches, so another server's reach this report within a second " +
    "or two. Days are UTC and both ends are included: by default the 30 days up to today, at most 366 days.",
  tags: ["usage"],
  auth: "required",
  group: "viewer",
  query: z.object({
    from: day.optional().describe("First day (UTC, YYYY-MM-DD); default: 29 days before `to`"),
    to: day.optional().describe("Last day (UTC, YYYY-MM-DD), included; default: today"),
  }),
  response: usageReportSchema,
});
