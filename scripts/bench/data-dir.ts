import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A fresh data directory for one benchmark run (the local file store, and PGlite when DATABASE_URL is
 * unset), set before the app's modules load, with quiet logs. Returns it, for removal at the end.
 */
export function benchDataDir(prefix: string): string {
  const dataDir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= "warn";
  return dataDir;
}
