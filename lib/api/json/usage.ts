import type { z } from "zod";
import type { usageReportSchema } from "@/lib/api/contracts/usage";
import type { UsageReport } from "@/lib/usage/report";

type UsageReportJson = z.input<typeof usageReportSchema>;

export function toUsageReportJson(report: UsageReport): UsageReportJson {
  return {
    from: report.from,
    to: report.to,
    days: report.days.map((day) => ({
      date: day.date,
      requests: day.requests,
      by_status_class: day.byStatusClass,
      routes: day.routes.map(({ method, route, statusCode, requests }) => ({
        method,
        route,
        status: statusCode,
        requests,
      })),
    })),
    routes: report.routes.map((route) => ({
      method: route.method,
      route: route.route,
      requests: route.requests,
      by_status_class: route.byStatusClass,
      average_duration_ms: route.averageDurationMs,
    })),
    totals: {
      requests: report.totals.requests,
      by_status_class: report.totals.byStatusClass,
      average_duration_ms: report.totals.averageDurationMs,
    },
    limits: {
      rate_limit_per_minute: report.limits.perMinute,
      rate_limit_per_hour: report.limits.perHour,
      rate_limit_per_day: report.limits.perDay,
    },
  };
}
