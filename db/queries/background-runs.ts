import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { backgroundRuns, backgroundSteps, type BackgroundRun } from "@/db/schema";

/** Queues one run of a background function for the in-process runner. */
/** Queues a run; null when a run of the function for the same dedupe key exists already (nothing is queued). */
export async function insertBackgroundRun({
  functionId,
  eventName,
  data,
  dedupeKey = null,
}: {
  functionId: string;
  eventName: string;
  data: unknown;
  dedupeKey?: string | null;
}): Promise<string | null> {
  const db = await getDb();
  const [run] = await db
    .insert(backgroundRuns)
    .values({ functionId, eventName, eventData: data, dedupeKey })
    .onConflictDoNothing({ target: [backgroundRuns.functionId, backgroundRuns.dedupeKey] })
    .returning({ id: backgroundRuns.id });
  return run?.id ?? null;
}

export async function hasUnfinishedRuns(): Promise<boolean> {
  const db = await getDb();
  const [row] = rowsOf<{ pending: number }>(
    await db.execute(sql`SELECT count(*)::int AS pending FROM background_runs WHERE status IN ('QUEUED', 'RUNNING')`),
  );
  return (row?.pending ?? 0) > 0;
}

/**
 * Takes the oldest due run (queued, or running under a lease that ran out because its worker died)
 * and holds it for `leaseSeconds`. Concurrent workers skip each other's rows.
 */
export async function claimNextRun({
  leaseSeconds,
  exceptIds = [],
}: {
  leaseSeconds: number;
  /** Runs the caller is executing itself: a lease of theirs that lapsed does not make them free. */
  exceptIds?: readonly string[];
}): Promise<BackgroundRun | null> {
  const db = await getDb();
  const notOwn = exceptIds.length
    ? sql`AND id NOT IN (${sql.join(
        exceptIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;
  const [run] = rowsOf<{ id: string }>(
    await db.execute(sql`
      UPDATE background_runs
      SET status = 'RUNNING', attempts = attempts + 1,
        lease_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
      WHERE id = (
        SELECT id FROM background_runs
        WHERE run_after <= now()
          AND (status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now()))
          ${notOwn}
        ORDER BY created_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id`),
  );
  if (!run) return null;
  const [claimed] = await db.select().from(backgroundRuns).where(eq(backgroundRuns.id, run.id));
  return claimed ?? null;
}

export async function renewRunLease({ runId, leaseSeconds }: { runId: string; leaseSeconds: number }): Promise<void> {
  const db = await getDb();
  await db
    .update(backgroundRuns)
    .set({ leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where(and(eq(backgroundRuns.id, runId), eq(backgroundRuns.status, "RUNNING")));
}

export async function completeRun({ runId }: { runId: string }): Promise<void> {
  const db = await getDb();
  await db
    .update(backgroundRuns)
    .set({ status: "COMPLETED", error: null, leaseUntil: null })
    .where(eq(backgroundRuns.id, runId));
}

export async function failRun({ runId, error }: { runId: string; error: string }): Promise<void> {
  const db = await getDb();
  await db
    .update(backgroundRuns)
    .set({ status: "FAILED", error, leaseUntil: null })
    .where(eq(backgroundRuns.id, runId));
}

export async function retryRunAt({
  runId,
  error,
  runAfter,
}: {
  runId: string;
  error: string;
  runAfter: Date;
}): Promise<void> {
  const db = await getDb();
  await db
    .update(backgroundRuns)
    .set({ status: "QUEUED", error, leaseUntil: null, runAfter })
    .where(eq(backgroundRuns.id, runId));
}

/** A finished step's recorded output, or undefined when the step has not finished in this run. */
export async function savedStepOutput({
  runId,
  stepId,
}: {
  runId: string;
  stepId: string;
}): Promise<{ output: unknown } | undefined> {
  const db = await getDb();
  const [saved] = await db
    .select({ output: backgroundSteps.output })
    .from(backgroundSteps)
    .where(and(eq(backgroundSteps.runId, runId), eq(backgroundSteps.stepId, stepId)))
    .limit(1);
  return saved;
}

export async function saveStepOutput({
  runId,
  stepId,
  output,
}: {
  runId: string;
  stepId: string;
  output: unknown;
}): Promise<void> {
  const db = await getDb();
  await db.insert(backgroundSteps).values({ runId, stepId, output }).onConflictDoNothing();
}

/**
 * Puts a run aside until `runAfter` (a durable sleep): queued again without counting the attempt it was
 * claimed for, since sleeping is not failing.
 */
export async function sleepRunUntil({ runId, runAfter }: { runId: string; runAfter: Date }): Promise<void> {
  const db = await getDb();
  await db
    .update(backgroundRuns)
    .set({
      status: "QUEUED",
      error: null,
      leaseUntil: null,
      runAfter,
      attempts: sql`greatest(${backgroundRuns.attempts} - 1, 0)`,
    })
    .where(eq(backgroundRuns.id, runId));
}
