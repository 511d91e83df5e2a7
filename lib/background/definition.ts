import type { z } from "zod";
import type { BackgroundEventName } from "@/lib/background/events";

/**
 * The part of Inngest's `step` a background function uses. A step's result is recorded when it
 * finishes; a resumed run gets recorded results back instead of doing the work again. Both Inngest
 * (inngest/functions.ts) and the in-process runner (lib/background/in-process) provide it.
 */
export type StepRunner = { run<T>(id: string, work: () => Promise<T>): Promise<T> };

/** What a background function's handler gets: steps, and durable sleeps between them. */
export type DurableStepRunner = StepRunner & {
  /**
   * Waits `ms` without holding a worker: the run is put aside and resumed after the wait (a restart in
   * between keeps the wake-up time), its finished steps replayed. Work after it runs once the wait is over.
   */
  sleep(id: string, ms: number): Promise<void>;
};

/**
 * A background function, declared once and run by either Inngest (inngest/functions.ts turns it into an
 * Inngest function) or the in-process runner (lib/background/in-process). Same id, event and steps either way.
 */
export type BackgroundFunction<S extends z.ZodType = z.ZodType> = {
  /** Kebab-case id, e.g. `process-job`. */
  id: string;
  /** The event that starts it (lib/background/events.ts lists each event's listeners). */
  event: BackgroundEventName;
  data: S;
  /** Runs of the same key (a field of the event data) are limited to JOB_CONCURRENCY at once. */
  concurrencyKey?: string;
  /** Retries after the first attempt (each step is retried, finished steps are not run again). */
  retries: 0 | 1 | 2 | 3 | 4 | 5;
  /**
   * `runId` names this run, the same on every retry and replay of it (Inngest's run id, or the in-process
   * runner's background_runs id): work that must be done by one run only claims it with this id.
   */
  handler: (input: { data: z.output<S>; step: DurableStepRunner; runId: string }) => Promise<unknown>;
  /** Called once every retry has failed. */
  onFailure: (input: { data: z.output<S>; error: Error }) => Promise<void>;
};

export function defineBackgroundFunction<S extends z.ZodType>(
  definition: BackgroundFunction<S>,
): BackgroundFunction<S> {
  return definition;
}

/** A readable reason for a job that failed: the message of the error, without stack or internals. */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}

/** An error thrown by a step, its message naming the step, so a job failed by it says where. */
export class StepFailedError extends Error {
  constructor(
    readonly stepId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Step "${stepId}" failed: ${reason}`, options);
    this.name = "StepFailedError";
  }
}

/** The step's work, its errors naming the step: what both Inngest and the in-process runner execute. */
export function namedStepWork<T>(stepId: string, work: () => Promise<T>): () => Promise<T> {
  return () =>
    work().catch((error: unknown) => {
      throw error instanceof StepFailedError
        ? error
        : new StepFailedError(stepId, failureReason(error), { cause: error });
    });
}

/**
 * Thrown by the in-process runner's `sleep` to put the run aside until `wakeAt`; the runner catches it
 * (it is not a failure). A handler must let it pass, as it must let Inngest's own interruptions pass.
 */
export class RunSleepingError extends Error {
  constructor(readonly wakeAt: Date) {
    super(`The run sleeps until ${wakeAt.toISOString()}`);
    this.name = "RunSleepingError";
  }
}
