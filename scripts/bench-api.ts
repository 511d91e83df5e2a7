/**
 * npm run bench:api [-- --seconds S --concurrency C --rounds R --jobs J]
 * GET /api/jobs through its real route handler (authentication by API key, zod, the company's query),
 * measured side by side in one run, rounds interleaved so that the machine's drift falls on all alike:
 *
 * - bare: rate limits and usage recording off (RATE_LIMIT_ENABLED=false, USAGE_RECORDING_ENABLED=false);
 * - limits: the per-company rate limit on (its counter statement runs beside authentication's);
 * - limits_and_usage: both on, as Intake runs.
 *
 * Each round runs C callers back to back for S seconds per variant. Against DATABASE_URL (Postgres, where
 * the counts are shared) or else PGlite. Prints one JSON line: requests a second and p50/p99 latency per
 * variant (median over rounds) and each variant's throughput as a share of bare's.
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { removeBenchCompany } from "./bench/cleanup";
import { benchDataDir } from "./bench/data-dir";

const VARIANTS = {
  bare: { RATE_LIMIT_ENABLED: "false", USAGE_RECORDING_ENABLED: "false" },
  limits: { RATE_LIMIT_ENABLED: "true", USAGE_RECORDING_ENABLED: "false" },
  limits_and_usage: { RATE_LIMIT_ENABLED: "true", USAGE_RECORDING_ENABLED: "true" },
} as const;
type Variant = keyof typeof VARIANTS;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
const round1 = (value: number) => Math.round(value * 10) / 10;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "8" },
      rounds: { type: "string", default: "3" },
      jobs: { type: "string", default: "25" },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const jobCount = Number(values.jobs);
  const dataDir = benchDataDir("bench-api");

  const { getDatabase } = await import("@/db");
  const { rowsOf } = await import("@/db/rows");
  const { ensureCompany } = await import("@/db/queries/companies");
  const { companies, jobs } = await import("@/db/schema");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { resetEnvForTests } = await import("@/lib/env");
  const { flushUsage } = await import("@/lib/usage/recorder");
  const { GET: listJobs } = await import("@/app/api/jobs/route");

  const handle = await getDatabase();
  const { db } = handle;
  const company = await ensureCompany({ name: `Bench API ${Date.now()}` });
  // Limits no run can reach: the bench measures what counting costs, not refusals.
  await db
    .update(companies)
    .set({ rateLimitPerMinute: 1_000_000_000, rateLimitPerHour: 1_000_000_000, rateLimitPerDay: 1_000_000_000 })
    .where(eq(companies.id, company.id));
  await db.insert(jobs).values(
    Array.from({ length: jobCount }, (_, index) => ({
      companyId: company.id,
      fileName: `contacts-${index}.csv`,
      storageKey: `bench/${company.id}/${index}.csv`,
      sha256: index.toString(16).padStart(64, "0"),
      sizeBytes: 1000 + index,
    })),
  );
  const { key } = await createApiKey({ companyId: company.id, name: "bench", groups: ["viewer"] });

  const callOnce = async (): Promise<number> => {
    const started = performance.now();
    const response = await listJobs(
      new NextRequest("http://localhost:3000/api/jobs", { headers: { authorization: `Bearer ${key}` } }),
      { params: Promise.resolve({}) },
    );
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET /api/jobs answered ${response.status}`);
    return performance.now() - started;
  };

  const measure = async (variant: Variant) => {
    for (const [name, value] of Object.entries(VARIANTS[variant])) process.env[name] = value;
    resetEnvForTests();
    for (let warm = 0; warm < 20; warm++) await callOnce();
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) latencies.push(await callOnce());
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    // Recorded usage is written after the clock stops would flatter it: its writes count in the round.
    await flushUsage();
    const total = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: latencies.length / Math.max(elapsed, total),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
    };
  };

  const results: Record<Variant, { requestsPerSecond: number; p50: number; p99: number }[]> = {
    bare: [],
    limits: [],
    limits_and_usage: [],
  };
  const order = Object.keys(VARIANTS) as Variant[];
  for (let round = 0; round < rounds; round++) {
    // Rotated each round so that no variant always runs first (on a cold cache) or last.
    for (const variant of [...order.slice(round % 3), ...order.slice(0, round % 3)]) {
      results[variant].push(await measure(variant));
    }
  }

  const summary = Object.fromEntries(
    order.map((variant) => {
      const runs = results[variant];
      return [
        variant,
        {
          requests_per_second: round1(median(runs.map((run) => run.requestsPerSecond))),
          p50_ms: round1(median(runs.map((run) => run.p50))),
          p99_ms: round1(median(runs.map((run) => run.p99))),
          rounds: runs.map((run) => round1(run.requestsPerSecond)),
        },
      ];
    }),
  ) as unknown as Record<Variant, { requests_per_second: number }>;
  const share = (variant: Variant) =>
    Math.round((summary[variant].requests_per_second / summary.bare.requests_per_second) * 1000) / 1000;
  const [{ usage_rows: usageRows } = { usage_rows: 0 }] = rowsOf<{ usage_rows: number }>(
    await db.execute(sql`SELECT count(*)::int AS usage_rows FROM usage_records WHERE company_id = ${company.id}`),
  );

  console.log(
    JSON.stringify({
      database: handle.kind,
      route: "GET /api/jobs",
      jobs: jobCount,
      concurrency,
      seconds_per_variant: seconds,
      rounds,
      ...summary,
      limits_share_of_bare: share("limits"),
      limits_and_usage_share_of_bare: share("limits_and_usage"),
      usage_rows_written: usageRows,
    }),
  );

  await db.execute(sql`DELETE FROM usage_records WHERE company_id = ${company.id}`);
  await removeBenchCompany(db, company.id);
  await handle.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
