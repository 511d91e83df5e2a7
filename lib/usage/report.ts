import "server-only";
import { findCompanyRateLimits, groupCompanyUsage, type CompanyRateLimits, type UsageGroup } from "@/db/queries/usage";
import { DomainError } from "@/lib/errors";
import { flushUsage } from "@/lib/usage/recorder";
import { daysOf, resolveUsageRange, type UsageRange } from "@/lib/usage/range";

export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
export type StatusClassCounts = Record<StatusClass, number>;

export type RouteStatusCount = { method: string; route: string; statusCode: number; requests: number };
export type UsageDay = { date: string; requests: number; byStatusClass: StatusClassCounts; routes: RouteStatusCount[] };
export type RouteTotals = {
  method: string;
  route: string;
  requests: number;
  byStatusClass: StatusClassCounts;
  averageDurationMs: number;
};
export type UsageTotals = { requests: number; byStatusClass: StatusClassCounts; averageDurationMs: number };

export type UsageReport = UsageRange & {
  /** Every day of the range, oldest first, those without requests too. */
  days: UsageDay[];
  /** Each route's requests over the range, the busiest first. */
  routes: RouteTotals[];
  totals: UsageTotals;
  limits: CompanyRateLimits;
};

/**
 * The caller's company's API requests per UTC day by route and status, with the totals and the company's
 * current rate limits. This process's buffer is written first, so callers see their own requests
 * (another server's reach the database within a second or so).
 */
export async function readCompanyUsage(
  ctx: { companyId: string },
  query: { from?: string; to?: string },
  now: Date = new Date(),
): Promise<UsageReport> {
  const range = resolveUsageRange(query, now);
  await flushUsage();
  const [groups, limits] = await Promise.all([
    groupCompanyUsage({ companyId: ctx.companyId, fromDay: range.from, toDay: range.to }),
    findCompanyRateLimits({ companyId: ctx.companyId }),
  ]);
  if (!limits) throw new DomainError("NOT_FOUND", "The company no longer exists");
  return { ...range, ...summarizeUsage(range, groups), limits };
}

/** Days, routes and totals from the grouped counts: one pass, no second scan of the records. */
export function summarizeUsage(
  range: UsageRange,
  groups: readonly UsageGroup[],
): Pick<UsageReport, "days" | "routes" | "totals"> {
  const days = new Map(
    daysOf(range).map((date) => [date, { date, ...emptyTally(), routes: [] as RouteStatusCount[] }]),
  );
  const routes = new Map<string, Tally & { method: string; route: string }>();
  const totals = emptyTally();
  for (const group of groups) {
    const day = days.get(group.day);
    if (day) {
      addTo(day, group);
      const { method, route, statusCode, requests } = group;
      day.routes.push({ method, route, statusCode, requests });
    }
    const key = `${group.method} ${group.route}`;
    const route = routes.get(key) ?? { method: group.method, route: group.route, ...emptyTally() };
    routes.set(key, route);
    addTo(route, group);
    addTo(totals, group);
  }
  return {
    days: [...days.values()].map(({ totalDurationMs: _, ...day }) => day),
    routes: [...routes.values()]
      .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route) || a.method.localeCompare(b.method))
      .map(({ totalDurationMs, ...route }) => ({
        ...route,
        averageDurationMs: average(totalDurationMs, route.requests),
      })),
    totals: {
      requests: totals.requests,
      byStatusClass: totals.byStatusClass,
      averageDurationMs: average(totals.totalDurationMs, totals.requests),
    },
  };
}

type Tally = { requests: number; byStatusClass: StatusClassCounts; totalDurationMs: number };

const emptyTally = (): Tally => ({
  requests: 0,
  byStatusClass: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 },
  totalDurationMs: 0,
});

function addTo(tally: Tally, group: UsageGroup): void {
  tally.requests += group.requests;
  tally.totalDurationMs += group.totalDurationMs;
  const statusClass = statusClassOf(group.statusCode);
  if (statusClass) tally.byStatusClass[statusClass] += group.requests;
}

export function statusClassOf(statusCode: number): StatusClass | null {
  const statusClass = `${Math.floor(statusCode / 100)}xx`;
  return (STATUS_CLASSES as readonly string[]).includes(statusClass) ? (statusClass as StatusClass) : null;
}

/** Milliseconds to one decimal; 0 when nothing was counted. */
const average = (totalMs: number, requests: number): number =>
  requests === 0 ? 0 : Math.round((totalMs / requests) * 10) / 10;
