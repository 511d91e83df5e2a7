import { describe, expect, it } from "vitest";
import type { UsageGroup } from "@/db/queries/usage";
import { statusClassOf, summarizeUsage } from "@/lib/usage/report";

const group = (
  day: string,
  method: string,
  route: string,
  statusCode: number,
  requests: number,
  totalDurationMs = 0,
): UsageGroup => ({
  day,
  method,
  route,
  statusCode,
  requests,
  totalDurationMs,
});

describe("summarizeUsage", () => {
  it("spreads the groups over every day of the range and adds them up by route and in total", () => {
    const summary = summarizeUsage({ from: "2026-03-01", to: "2026-03-03" }, [
      group("2026-03-01", "GET", "/api/jobs", 200, 4, 40),
      group("2026-03-01", "GET", "/api/jobs", 404, 1, 2),
      group("2026-03-03", "POST", "/api/jobs", 201, 2, 60),
      group("2026-03-03", "GET", "/api/jobs", 500, 1, 8),
      group("2026-03-03", "GET", "/api/jobs", 302, 1, 0),
    ]);
    expect(summary.days.map(({ date, requests, byStatusClass }) => ({ date, requests, byStatusClass }))).toEqual([
      { date: "2026-03-01", requests: 5, byStatusClass: { "2xx": 4, "3xx": 0, "4xx": 1, "5xx": 0 } },
      { date: "2026-03-02", requests: 0, byStatusClass: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 } },
      { date: "2026-03-03", requests: 4, byStatusClass: { "2xx": 2, "3xx": 1, "4xx": 0, "5xx": 1 } },
    ]);
    expect(summary.days[0]?.routes).toEqual([
      { method: "GET", route: "/api/jobs", statusCode: 200, requests: 4 },
      { method: "GET", route: "/api/jobs", statusCode: 404, requests: 1 },
    ]);
    expect(summary.routes).toEqual([
      {
        method: "GET",
        route: "/api/jobs",
        requests: 7,
        byStatusClass: { "2xx": 4, "3xx": 1, "4xx": 1, "5xx": 1 },
        averageDurationMs: 7.1,
      },
      {
        method: "POST",
        route: "/api/jobs",
        requests: 2,
        byStatusClass: { "2xx": 2, "3xx": 0, "4xx": 0, "5xx": 0 },
        averageDurationMs: 30,
      },
    ]);
    expect(summary.totals).toEqual({
      requests: 9,
      byStatusClass: { "2xx": 6, "3xx": 1, "4xx": 1, "5xx": 1 },
      averageDurationMs: 12.2,
    });
  });

  it("reports zeros, not NaN, for a range without requests", () => {
    const summary = summarizeUsage({ from: "2026-03-01", to: "2026-03-01" }, []);
    expect(summary.totals).toEqual({
      requests: 0,
      byStatusClass: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 },
      averageDurationMs: 0,
    });
    expect(summary.routes).toEqual([]);
  });
});

describe("statusClassOf", () => {
  it.each([
    { status: 200, statusClass: "2xx" },
    { status: 204, statusClass: "2xx" },
    { status: 301, statusClass: "3xx" },
    { status: 429, statusClass: "4xx" },
    { status: 503, statusClass: "5xx" },
    { status: 101, statusClass: null },
  ])("$status → $statusClass", ({ status, statusClass }) => {
    expect(statusClassOf(status)).toBe(statusClass);
  });
});
