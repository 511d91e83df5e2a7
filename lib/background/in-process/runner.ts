import "server-only";
import {
  claimNextRun,
  completeRun,
  failRun,
  hasUnfinishedRuns,
  renewRunLease,
  retryRunAt,
  savedStepOutput,
  saveStepOutput,
  sleepRunUntil,
} from "@/db/queries/background-runs";
import { outsideRequestQueries } from "@/db/request-queries";
import type { BackgroundRun } from "@/db/schema";
import { failureReason, namedStepWork, RunSleepingError, type DurableStepRunner } from "@/lib/background/definition";
import { onRunQueued } from "@/lib/background/dispatch";
import { backgroundFunctions } from "@/lib/background/functions";
import { env } from "@/lib/env";
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
  /** The runs this process is executing: never claimed again here, even when a lease renewal ran late. */
  running: Set<string>;
  poller: NodeJS.Timeout | null;
  kicking: Promise<void> | null;
  config: RunnerConfig | null;
};

const globalForRunner = globalThis as unknown as { intakeRunner?: RunnerState };
const state: RunnerState = (globalForRunner.intakeRunner ??= {
  running: new Set(),
  poller: null,
  kicking: null,
  config: null,
});

// A run dispatched in this process starts at once rather than at the next poll.
onRunQueued(() => void kick());

function config(): RunnerConfig {
  state.config ??= {
    concurrency: env().JOB_CONCURRENCY,
    backoffMs: [1_000, 5_000, 25_000, 60_000, 120_000],
    leaseSeconds: 60,
  };
  return state.config;
}

/** The runner's settings now (a test that changes one puts it back). */
export function runnerConfig(): Readonly<RunnerConfig> {
  return config();
}

/** Tests shorten the retry back-off and the lease. */
export function configureRunner(overrides: Partial<RunnerConfig>): void {
  state.config = { ...config(), ...overrides };
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
  // A request that queues a run kicks it too: the run must not inherit that request's timeout and cancellation.
  state.kicking ??= outsideRequestQueries(claimDueRuns).finally(() => {
    state.kicking = null;
  });
  return state.kicking;
}

async function claimDueRuns(): Promise<void> {
  try {
    while (state.running.size < config().concurrency) {
      const run = await claimNextRun({ leaseSeconds: config().leaseSeconds, exceptIds: [...state.running] });
      if (!run) break;
      state.running.add(run.id);
      void execute(run).finally(() => {
        state.running.delete(run.id);
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
    if (state.running.size === 0 && !(await hasUnfinishedRuns())) return;
    if (Date.now() > deadline) throw new Error("background runs did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function execute(run: BackgroundRun): Promise<void> {
  const log = logger().child({ run_id: run.id, function_id: run.functionId });
  const definition = backgroundFunctions.find((candidate) => candidate.id === run.functionId);
  if (!definition) {
    log.error("no background function with this id; the run is marked failed");
    await failRun({ runId: run.id, error: `Unknown function ${run.functionId}` });
    return;
  }
  const heartbeat = setInterval(
    () => {
      renewRunLease({ runId: run.id, leaseSeconds: config().leaseSeconds }).catch((error: unknown) =>
        log.warn({ err: error }, "could not renew the run's lease"),
      );
    },
    Math.min(HEARTBEAT_MS, (config().leaseSeconds * 1000) / 3),
  );
  heartbeat.unref();

  const parsed = definition.data.safeParse(run.eventData);
  try {
    if (!parsed.success) throw new Error(`Event data does not fit ${definition.id}: ${parsed.error.message}`);
    log.info({ attempt: run.attempts }, "background run started");
    await definition.handler({ data: parsed.data, step: durableSteps(run.id, log), runId: run.id });
    await completeRun({ runId: run.id });
    log.info("background run completed");
  } catch (error) {
    if (error instanceof RunSleepingError) {
      const delay = Math.max(0, error.wakeAt.getTime() - Date.now());
      log.info({ wake_at: error.wakeAt.toISOString() }, "background run sleeps");
      await sleepRunUntil({ runId: run.id, runAfter: error.wakeAt });
      setTimeout(() => void kick(), delay).unref();
      return;
    }
    const reason = failureReason(error);
    const retriesLeft = parsed.success && run.attempts <= definition.retries;
    if (retriesLeft) {
      const delay = config().backoffMs[Math.min(run.attempts - 1, config().backoffMs.length - 1)] ?? 1_000;
      log.warn({ err: error, attempt: run.attempts, retry_in_ms: delay }, "background run failed; it will be retried");
      await retryRunAt({ runId: run.id, error: reason, runAfter: new Date(Date.now() + delay) });
      setTimeout(() => void kick(), delay).unref();
    } else {
      log.error({ err: error, attempt: run.attempts }, "background run failed for good");
      await failRun({ runId: run.id, error: reason });
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
function durableSteps(runId: string, log: Logger): DurableStepRunner {
  return {
    async sleep(id: string, ms: number): Promise<void> {
      // The wake-up time is recorded as the step's output, so that a resumed run keeps it.
      const saved = await savedStepOutput({ runId, stepId: id });
      const wakeAt = saved ? Number((saved.output as { wakeAt: number }).wakeAt) : Date.now() + ms;
      if (!saved) await saveStepOutput({ runId, stepId: id, output: { wakeAt } });
      if (Date.now() < wakeAt) throw new RunSleepingError(new Date(wakeAt));
    },
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      const saved = await savedStepOutput({ runId, stepId: id });
      if (saved) return saved.output as T;
      // Results go through JSON, as with Inngest, so a replayed result looks exactly like a fresh one.
      const output = JSON.parse(JSON.stringify((await namedStepWork(id, work)()) ?? null)) as T;
      await saveStepOutput({ runId, stepId: id, output });
      log.debug({ step: id }, "step finished");
      return output;
    },
  };
}
