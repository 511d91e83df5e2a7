import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";
import { rowsOf } from "@/db/rows";

/** How many migrations the database has applied (drizzle's own record of them). */
export async function countAppliedMigrations({ db }: { db: Database }): Promise<number> {
  const rows = await db.execute(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`);
  return Number(rowsOf<{ applied: number }>(rows)[0]?.applied ?? 0);
}
