import "server-only";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { readOperationalSnapshot } from "@/db/queries/metrics";

/** Prometheus' text exposition format, the one prom-client writes. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const HTTP_LABELS = ["method", "route", "status"] as const;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: "http_requests_total",
      help: "API requests answered, by method, route template and status",
      labelNames: HTTP_LABELS,
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer an API request, by method, route template and status",
      labelNames: HTTP_LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: "intake_rate_limit_rejections_total",
      help: "Requests refused by a rate limit, by the limit's scope",
      labelNames: ["scope"] as const,
      registers: [registry],
    }),
    // The gauges below are read from the database at each scrape, so every server reports the same numbers.
    jobs: new Gauge({
      name: "intake_jobs",
      help: "Import jobs that exist, by status",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
    // Gauges despite the _total names: deleting a job takes its rows out of the sums.
    rowsStaged: new Gauge({
      name: "intake_rows_staged_total",
      help: "Rows staged by the import jobs that exist",
      registers: [registry],
    }),
    rowsLanded: new Gauge({
      name: "intake_rows_landed_total",
      help: "Rows landed in contacts (inserted or updated) by the import jobs that exist",
      registers: [registry],
    }),
    issues: new Gauge({
      name: "intake_issues",
      help: "Review issues that exist, open or resolved",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
    backgroundRuns: new Gauge({
      name: "intake_background_runs",
      help: "Background runs queued or running",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
    oldestBackgroundRunAge: new Gauge({
      name: "intake_background_oldest_run_age_seconds",
      help: "Age of the oldest queued or running background run (0 when there is none)",
      registers: [registry],
    }),
  };
}

type Metrics = ReturnType<typeof createMetrics>;

// On globalThis: Next bundles instrumentation and each route apart, and all of them must count into one registry.
const globalForMetrics = globalThis as unknown as { intakeMetrics?: Metrics };

export function metrics(): Metrics {
  return (globalForMetrics.intakeMetrics ??= createMetrics());
}

export type HttpObservation = { method: string; route: string; status: number; seconds: number };

/** `route` is the contract's path template (`/api/jobs/{job_id}`), never the URL, so label values stay few. */
export function observeHttpRequest({ method, route, status, seconds }: HttpObservation): void {
  const labels = { method, route, status: String(status) };
  metrics().httpRequests.inc(labels);
  metrics().httpRequestDuration.observe(labels, seconds);
}

/** Counts one request a rate limit refused; `scope` names the limit (e.g. `login`, `api`). */
export function incrementRateLimitRejections(scope: string): void {
  metrics().rateLimitRejections.inc({ scope });
}

/** The exposition text: the database's numbers read now, then everything the registry holds. */
export async function metricsText(): Promise<string> {
  const snapshot = await readOperationalSnapshot();
  const current = metrics();
  for (const totals of snapshot.jobs) current.jobs.set({ status: totals.status }, totals.jobs);
  current.rowsStaged.set(snapshot.jobs.reduce((sum, totals) => sum + totals.stagedRows, 0));
  current.rowsLanded.set(snapshot.jobs.reduce((sum, totals) => sum + totals.landedRows, 0));
  current.issues.set({ state: "open" }, snapshot.issues.open);
  current.issues.set({ state: "resolved" }, snapshot.issues.resolved);
  current.backgroundRuns.set({ status: "QUEUED" }, snapshot.backgroundRuns.queued);
  current.backgroundRuns.set({ status: "RUNNING" }, snapshot.backgroundRuns.running);
  current.oldestBackgroundRunAge.set(snapshot.backgroundRuns.oldestAgeSeconds);
  return current.registry.metrics();
}
