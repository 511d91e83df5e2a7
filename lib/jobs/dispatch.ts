import "server-only";
import { inngest } from "@/inngest/client";
import { backgroundFunctions } from "@/inngest/index";
import { inngestSettings } from "@/lib/env";
import { enqueueRun } from "@/lib/jobs/runner";

export type BackgroundEvent = { name: string; data: Record<string, unknown> };

/**
 * Starts the background functions that listen to an event: through Inngest when it is configured,
 * otherwise on the in-process runner. Throws when the event cannot be handed over (callers answer 503).
 */
export async function dispatch(event: BackgroundEvent): Promise<void> {
  if (inngestSettings().enabled) {
    await inngest.send(event);
    return;
  }
  const listeners = backgroundFunctions.filter((definition) => definition.event === event.name);
  if (listeners.length === 0) throw new Error(`No background function listens to ${event.name}`);
  for (const definition of listeners) {
    await enqueueRun({ functionId: definition.id, eventName: event.name, data: event.data });
  }
}
