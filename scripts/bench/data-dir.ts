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

/** What an admin's API key gives the ingestion code: the benchmarks register files as the product does. */
export function adminContext(company: { id: string; name: string; slug: string }) {
  return {
    method: "api_key" as const,
    companyId: company.id,
    companyName: company.name,
    companySlug: company.slug,
    groups: ["admin" as const],
    user: null,
    apiKey: null,
  };
}
