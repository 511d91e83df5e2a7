import { getDatabase } from "@/db";
import { describeFoundAdmin, describeSeed, ensureSeedData, type SeedResult } from "@/lib/startup/seed";
import { sendEventsWith, type EventSender } from "@/lib/background/dispatch";
import { ConfigError, env, inngestSettings } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * Start-up: check the configuration, migrate the database, create the first company and admin, and
 * start background work: events go to Inngest when it is configured, else to the in-process runner.
 */
export async function startServer({ sendToInngest }: { sendToInngest: EventSender }): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = logger();
  if (inngestSettings().enabled) sendEventsWith(sendToInngest);
  try {
    const handle = await getDatabase();
    log.info({ driver: handle.kind }, "database ready, migrations applied");
    reportSeed(await ensureSeedData(), { log, stopServerFirst: handle.kind === "pglite" });
    if (!inngestSettings().enabled) {
      const { startRunner } = await import("@/lib/background/in-process/runner");
      startRunner();
      log.info("background functions run in-process; unfinished runs resume now");
    }
  } catch (error) {
    // A database that is down now may come back: /api/ready reports it and the next request retries.
    log.error({ err: error }, "database not ready at start-up");
  }
}

type SeedReportLog = { info: (message: string) => void; warn: (message: string) => void };

/**
 * The first start prints the new administrator's sign-in; every later one says how to reset a lost
 * password, and that SEED_ADMIN_PASSWORD was not applied when it is set.
 */
export function reportSeed(
  seeded: SeedResult,
  {
    log,
    stopServerFirst,
    print = console.log,
  }: { log: SeedReportLog; stopServerFirst: boolean; print?: (text: string) => void },
): void {
  if (seeded.created) {
    print(`\n${describeSeed(seeded)}\n`);
    return;
  }
  const { resetHint, seedPasswordWarning } = describeFoundAdmin(seeded, { stopServerFirst });
  log.info(resetHint);
  if (seedPasswordWarning) log.warn(seedPasswordWarning);
}
