/**
 * A server's background runner, alone in its own process, for the test that kills it between chunks
 * (lib/background/in-process/runner-resume.test.ts). Settings come from the environment the test gives it.
 */
import { getDatabase } from "@/db";
import { configureRunner, startRunner } from "@/lib/background/in-process/runner";

async function main(): Promise<void> {
  await getDatabase();
  configureRunner({ leaseSeconds: 2, concurrency: 1 });
  startRunner();
  // The runner's timers do not keep a process alive; this one does, until the test kills it.
  setInterval(() => undefined, 1_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
