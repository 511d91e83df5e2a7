/**
 * A server's background runner, alone in its own process, for the tests that kill it mid-work
 * (test/worker-process.ts starts it). Settings come from the environment the test gives it, and arguments:
 * `--concurrency=N`, the runs it holds at once (1 by default); `--until-idle`, exit once no run is left
 * (otherwise it runs until killed).
 */
import { getDatabase } from "@/db";
import { configureRunner, drain, startRunner } from "@/lib/background/in-process/runner";

function concurrencyArgument(): number {
  const given = process.argv.find((argument) => argument.startsWith("--concurrency="));
  const concurrency = Number(given?.slice("--concurrency=".length) ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`Not a concurrency: ${given}`);
  return concurrency;
}

async function main(): Promise<void> {
  await getDatabase();
  configureRunner({ leaseSeconds: 2, concurrency: concurrencyArgument() });
  startRunner();
  if (process.argv.includes("--until-idle")) {
    await drain({ timeoutMs: 120_000 });
    process.exit(0);
  }
  // The runner's timers do not keep a process alive; this one does, until the test kills it.
  setInterval(() => undefined, 1_000);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
