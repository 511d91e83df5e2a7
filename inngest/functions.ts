import type { FailureEventArgs, InngestFunction } from "inngest";
import { inngest } from "@/inngest/client";
import { namedStepWork, type DurableStepRunner } from "@/lib/background/definition";
import { backgroundFunctions } from "@/lib/background/functions";
import { inngestSettings } from "@/lib/env";

type InngestContext = {
  event: { data: unknown };
  runId: string;
  step: {
    run: (id: string, work: () => Promise<unknown>) => Promise<unknown>;
    sleep: (id: string, ms: number) => Promise<void>;
  };
};

const JOB_CONCURRENCY = inngestSettings().JOB_CONCURRENCY;

/** Intake's background functions (lib/background/functions) as Inngest functions, served at /api/inngest. */
export const functions: InngestFunction.Any[] = backgroundFunctions.map((definition) =>
  inngest.createFunction(
    {
      id: definition.id,
      triggers: [{ event: definition.event }],
      retries: definition.retries,
      ...(definition.concurrencyKey
        ? { concurrency: { key: `event.data.${definition.concurrencyKey}`, limit: JOB_CONCURRENCY } }
        : {}),
      onFailure: async ({ event, error }: FailureEventArgs) => {
        await definition.onFailure({ data: definition.data.parse(event.data.event.data), error });
      },
    },
    async (context) => {
      // Inngest's step results are typed as their JSON form; ours are plain JSON already.
      const { event, step, runId } = context as unknown as InngestContext;
      const steps: DurableStepRunner = {
        run: (id, work) => step.run(id, namedStepWork(id, work)) as Promise<Awaited<ReturnType<typeof work>>>,
        sleep: (id, ms) => step.sleep(id, ms),
      };
      return definition.handler({ data: definition.data.parse(event.data), step: steps, runId });
    },
  ),
);
