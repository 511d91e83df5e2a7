import "server-only";
import { insertBackgroundRun } from "@/db/queries/background-runs";
import { EVENT_LISTENERS, type BackgroundEvent } from "@/lib/background/events";
import { inngestSettings } from "@/lib/env";

/** Hands an event to Inngest (the app's client, given at start-up by the composition root). */
export type EventSender = (event: BackgroundEvent) => Promise<unknown>;

type DispatchState = { sender: EventSender | null; wakeRunner: (() => void) | null };

// On globalThis: Next bundles instrumentation and each route separately, and they must share one state.
const globalForDispatch = globalThis as unknown as { intakeDispatch?: DispatchState };
const state: DispatchState = (globalForDispatch.intakeDispatch ??= { sender: null, wakeRunner: null });

/** Called once at start-up when Inngest is configured (instrumentation.ts passes inngest.send). */
export function sendEventsWith(sender: EventSender): void {
  state.sender = sender;
}

/** The in-process runner asks to be told of new runs, so that they start without waiting for its poll. */
export function onRunQueued(wake: () => void): void {
  state.wakeRunner = wake;
}

/**
 * Starts the background functions that listen to an event: through Inngest when it is configured,
 * otherwise as runs of the in-process runner. Throws when the event cannot be handed over (callers answer 503).
 */
export async function dispatch(event: BackgroundEvent): Promise<void> {
  if (inngestSettings().enabled) {
    if (!state.sender) throw new Error("Inngest is configured but no event sender was set at start-up");
    await state.sender(event);
    return;
  }
  for (const functionId of EVENT_LISTENERS[event.name]) {
    await insertBackgroundRun({ functionId, eventName: event.name, data: event.data, dedupeKey: event.id ?? null });
  }
  state.wakeRunner?.();
}
