import "server-only";
import { count, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { JOB_STATUSES, backgroundRuns, issues, jobs, type JobStatus } from "@/db/schema";

export type JobStatusTotals = { status: JobStatus; jobs: number; stagedRows: number; landedRows: number };

export type OperationalSnapshot = {
  jobs: JobStatusTotals[];
  issues: { open: number; resolved: number };
  /** The oldest's age by the database's clock: 0 when none is queued or running. */
  backgroundRuns: { queued: number; running: number; oldestAgeSeconds: number };
};

/**
 * What every server reports alike, read from the database at scrape time. Jobs are one row per file,
 * so their sums stay cheap; background runs are found through their status index.
 */
export async function readOperationalSnapshot(): Promise<OperationalSnapshot> {
  const db = await getDb();
  const [jobRows, [issueRow], runRows] = await Promise.all([
    db
      .select({
        status: jobs.status,
        jobs: count(),
        stagedRows: sql<number>`coalesce(sum(${jobs.stagedRows}), 0)::float8`,
        landedRows: sql<number>`coalesce(sum(${jobs.insertedCount} + ${jobs.updatedCount}), 0)::float8`,
      })
      .from(jobs)
      .groupBy(jobs.status),
    db
      .select({
        open: sql<number>`count(*) filter (where not ${issues.resolved})::float8`,
        resolved: sql<number>`count(*) filter (where ${issues.resolved})::float8`,
      })
      .from(issues),
    db
      .select({
        status: backgroundRuns.status,
        runs: count(),
        oldestAgeSeconds: sql<number>`extract(epoch from now() - min(${backgroundRuns.createdAt}))::float8`,
      })
      .from(backgroundRuns)
      .where(inArray(backgroundRuns.status, ["QUEUED", "RUNNING"]))
      .groupBy(backgroundRuns.status),
  ]);
  const byStatus = new Map(jobRows.map((row) => [row.status, row]));
  const queued = runRows.find((row) => row.status === "QUEUED");
  const running = runRows.find((row) => row.status === "RUNNING");
  return {
    jobs: JOB_STATUSES.map((status) => {
      const row = byStatus.get(status);
      return {
        status,
        jobs: row?.jobs ?? 0,
        stagedRows: Number(row?.stagedRows ?? 0),
        landedRows: Number(row?.landedRows ?? 0),
      };
    }),
    issues: { open: Number(issueRow?.open ?? 0), resolved: Number(issueRow?.resolved ?? 0) },
    backgroundRuns: {
      queued: queued?.runs ?? 0,
      running: running?.runs ?? 0,
      oldestAgeSeconds: Math.max(0, ...runRows.map((row) => Number(row.oldestAgeSeconds))),
    },
  };
}
