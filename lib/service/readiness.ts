import "server-only";
import { getDatabase } from "@/db";
import journal from "@/db/migrations/meta/_journal.json";
import { countAppliedMigrations } from "@/db/queries/migrations";

export type Readiness =
  | {
      ready: true;
      database: { driver: "postgres" | "pglite"; latencyMs: number };
      migrations: { applied: number; expected: number };
    }
  | { ready: false; reason: string; details: Record<string, unknown> };

const EXPECTED_MIGRATIONS = journal.entries.length;

export async function checkReadiness(): Promise<Readiness> {
  let handle;
  try {
    handle = await getDatabase();
  } catch (error) {
    return { ready: false, reason: "The database cannot be reached", details: { database: describe(error) } };
  }
  const started = performance.now();
  try {
    const applied = await countAppliedMigrations({ db: handle.db });
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    if (applied < EXPECTED_MIGRATIONS) {
      return {
        ready: false,
        reason: "Database migrations are not current",
        details: { migrations: { applied, expected: EXPECTED_MIGRATIONS } },
      };
    }
    return {
      ready: true,
      database: { driver: handle.kind, latencyMs },
      migrations: { applied, expected: EXPECTED_MIGRATIONS },
    };
  } catch (error) {
    return { ready: false, reason: "The database did not answer", details: { database: describe(error) } };
  }
}

function describe(error: unknown): string {
  // Only the class of failure leaves the server; the message itself is logged by the caller.
  if (error && typeof error === "object" && "code" in error && typeof error.code === "string") return error.code;
  return "unavailable";
}
