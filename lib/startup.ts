import { getDatabase } from "@/db";
import { describeSeed, ensureSeedData } from "@/db/seed";
import { ConfigError, env, inngestSettings } from "@/lib/env";
import { logger } from "@/lib/logger";

/** Start-up: check the configuration, migrate the database, create the first company and admin. */
export async function startServer(): Promise<void> {
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
  try {
    const handle = await getDatabase();
    log.info({ driver: handle.kind }, "database ready, migrations applied");
    const seeded = await ensureSeedData();
    if (seeded.created) console.log(`\n${describeSeed(seeded)}\n`);
    if (!inngestSettings().enabled) {
      const { startRunner } = await import("@/lib/jobs/runner");
      startRunner();
      log.info("background functions run in-process; unfinished runs resume now");
    }
  } catch (error) {
    // A database that is down now may come back: /api/ready reports it and the next request retries.
    log.error({ err: error }, "database not ready at start-up");
  }
}
