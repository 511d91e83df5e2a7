import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rowsOf } from "@/db/rows";
import { backgroundRuns, backgroundSteps, type BackgroundRun } from "@/db/schema";
import { backgroundFunctions } from "@/inngest/index";
import { env } from "@/lib/env";
import type { StepRunner } from "@/lib/ingest/pipeline";
import { failureReason, namedStepWork } from "@/lib/jobs/definition";
import { logger } from "@/lib/logger";
import type { Logger } from "pino";

/**
 * Runs Intake's background functions inside the server when Inngest is not configured. Runs and
 * their finished steps are kept in Postgres: a run is held under a lease that its worker renews, so
 * after a crash or restart an unfinished run is picked up again (here or by another server) and
 * replays its finished steps from the database instead of redoing them.
 */

const HEARTBEAT_MS = 20_000;
const POLL_MS = 5_000;

type RunnerConfig = { concurrency: number; backoffMs: readonly number[]; leaseSeconds: number };

type RunnerState = {
  active: number;
  poller: NodeJS.Timeout | null;
  kicking: Promise<void> | null;
  config: RunnerConfig | null;
};

const globalForRunner = globalThis as unknown as { intakeRunner?: RunnerState };
const state: RunnerState = (globalForRunner.intakeRunner ??= { active: 0, poller: null, kicking: null, config: null });

function config(): RunnerConfig {
  state.config ??= {
    concurrency: env().JOB_CONCURRENCY,
    backoffMs: [1_000, 5_000, 25_000, 60_000, 120_000],
    leaseSeconds: 60,
  };
  return state.config;
}

/** Tests shorten the retry back-off and the lease. */
export function configureRunner(overrides: Partial<RunnerConfig>): void {
  state.config = { ...config(), ...overrides };
}

export async function enqueueRun({
  functionId,
  eventName,
  data,
}: {
  functionId: string;
  eventName: string;
  data: unknown;
}): Promise<string> {
  const db = await getDb();
  const [run] = await db
    .insert(backgroundRuns)
    .values({ functionId, eventName, eventData: data })
    .returning({ id: backgroundRuns.id });
  if (!run) throw new Error("background run insert returned no row");
  void kick();
  return run.id;
}

/** Starts polling for due runs (retries, and runs whose worker died). Called once at server start. */
export function startRunner(): void {
  if (state.poller) return;
  state.poller = setInterval(() => void kick(), POLL_MS);
  state.poller.unref();
  void kick();
}

export function stopRunner(): void {
  if (state.poller) clearInterval(state.poller);
  state.poller = null;
}

/** Claims and starts due runs until the concurrency limit is reached. */
export function kick(): Promise<void> {
  // Cleared in a promise callback, which always runs after this assignment: cleared inside the async
  // body instead, a kick with every slot busy (which never awaits) would clear it before it is set, and
  // the settled promise left in place would make every later kick a no-op.
  state.kicking ??= claimDueRuns().finally(() => {
    state.kicking = null;
  });
  return state.kicking;
}

async function claimDueRuns(): Promise<void> {
  try {
    while (state.active < config().concurrency) {
      const run = await claimNextRun();
      if (!run) break;
      state.active += 1;
      void execute(run).finally(() => {
        state.active -= 1;
        void kick();
      });
    }
  } catch (error) {
    logger().error({ err: error }, "background runner could not claim a run");
  }
}

/** Resolves when nothing is running and nothing is due (for tests and the benchmark). */
export async function drain({ timeoutMs = 120_000 }: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await kick();
    if (state.active === 0 && !(await hasPendingRuns())) return;
    if (Date.now() > deadline) throw new Error("background runs did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function hasPendingRuns(): Promise<boolean> {
  const db = await getDb();
  const [row] = rowsOf<{ pending: number }>(
    await db.execute(sql`SELECT count(*)::int AS pending FROM background_runs WHERE status IN ('QUEUED', 'RUNNING')`),
  );
  return (row?.pending ?? 0) > 0;
}

async function claimNextRun(): Promise<BackgroundRun | null> {
  const db = await getDb();
  const [run] = rowsOf<{ id: string }>(
    await db.execute(sql`
      UPDATE background_runs
      SET status = 'RUNNING', attempts = attempts + 1,
        lease_until = now() + make_interval(secs => ${config().leaseSeconds}), updated_at = now()
      WHERE id = (
        SELECT id FROM background_runs
        WHERE run_after <= now()
          AND (status = 'QUEUED' OR (status = 'RUNNING' AND lease_until < now()))
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

async function execute(run: BackgroundRun): Promise<void> {
  const log = logger().child({ run_id: run.id, function_id: run.functionId });
  const definition = backgroundFunctions.find((candidate) => candidate.id === run.functionId);
  const db = await getDb();
  if (!definition) {
    log.error("no background function with this id; the run is marked failed");
    await db
      .update(backgroundRuns)
      .set({ status: "FAILED", error: `Unknown function ${run.functionId}`, leaseUntil: null })
      .where(eq(backgroundRuns.id, run.id));
    return;
  }
  const heartbeat = setInterval(() => {
    void db
      .update(backgroundRuns)
      .set({ leaseUntil: sql`now() + make_interval(secs => ${config().leaseSeconds})` })
      .where(and(eq(backgroundRuns.id, run.id), eq(backgroundRuns.status, "RUNNING")))
      .catch((error: unknown) => log.warn({ err: error }, "could not renew the run's lease"));
  }, Math.min(HEARTBEAT_MS, (config().leaseSeconds * 1000) / 3));
  heartbeat.unref();

  const parsed = definition.data.safeParse(run.eventData);
  try {
    if (!parsed.success) throw new Error(`Event data does not fit ${definition.id}: ${parsed.error.message}`);
    log.info({ attempt: run.attempts }, "background run started");
    await definition.handler({ data: parsed.data, step: durableSteps(run.id, log) });
    await db
      .update(backgroundRuns)
      .set({ status: "COMPLETED", error: null, leaseUntil: null })
      .where(eq(backgroundRuns.id, run.id));
    log.info("background run completed");
  } catch (error) {
    const reason = failureReason(error);
    const retriesLeft = parsed.success && run.attempts <= definition.retries;
    if (retriesLeft) {
      const delay = config().backoffMs[Math.min(run.attempts - 1, config().backoffMs.length - 1)] ?? 1_000;
      log.warn({ err: error, attempt: run.attempts, retry_in_ms: delay }, "background run failed; it will be retried");
      await db
        .update(backgroundRuns)
        .set({ status: "QUEUED", error: reason, leaseUntil: null, runAfter: new Date(Date.now() + delay) })
        .where(eq(backgroundRuns.id, run.id));
      setTimeout(() => void kick(), delay).unref();
    } else {
      log.error({ err: error, attempt: run.attempts }, "background run failed for good");
      await db
        .update(backgroundRuns)
        .set({ status: "FAILED", error: reason, leaseUntil: null })
        .where(eq(backgroundRuns.id, run.id));
      if (parsed.success) {
        await definition
          .onFailure({ data: parsed.data, error: error instanceof Error ? error : new Error(reason) })
          .catch((failure: unknown) => log.error({ err: failure }, "failure handler failed"));
      }
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** Steps whose results are stored when they finish and replayed on a later attempt. */
function durableSteps(runId: string, log: Logger): StepRunner {
  return {
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      const db = await getDb();
      const [saved] = await db
        .select({ output: backgroundSteps.output })
        .from(backgroundSteps)
        .where(and(eq(backgroundSteps.runId, runId), eq(backgroundSteps.stepId, id)))
        .limit(1);
      if (saved) return saved.output as T;
      // Results go through JSON, as with Inngest, so a replayed result looks exactly like a fresh one.
      const output = JSON.parse(JSON.stringify((await namedStepWork(id, work)()) ?? null)) as T;
      await db.insert(backgroundSteps).values({ runId, stepId: id, output }).onConflictDoNothing();
      log.debug({ step: id }, "step finished");
      return output;
    },
  };
}
