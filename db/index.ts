import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";
import { noDelaySocket } from "./socket";

/** Both drivers give the same query builder; code is written once against this type. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** What a statement about one company's job runs on: the database or the caller's transaction, the job, its company. */
export type JobScope = { db: Database; jobId: number; companyId: string };

export type DatabaseHandle = {
  db: Database;
  kind: "postgres" | "pglite";
  /** The driver's own client, for what the query builder cannot do (COPY). */
  raw: { kind: "postgres"; sql: postgres.Sql } | { kind: "pglite"; client: PGlite };
  migrate: () => Promise<void>;
  close: () => Promise<void>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
const MIGRATION_LOCK_ID = 727_001;

export type DatabaseOptions =
  | {
      kind: "postgres";
      url: string;
      max?: number;
      /** Postgres cancels any statement of this pool that runs longer (the migrations' connection has none). */
      statementTimeoutMs?: number;
    }
  | { kind: "pglite"; dataDir?: string };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.kind === "postgres") {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      ...noDelaySocket,
      ...(options.statementTimeoutMs ? { connection: { statement_timeout: options.statementTimeoutMs } } : {}),
    });
    const db = drizzlePostgres({ client, schema, casing: "snake_case" }) as unknown as Database;
    return {
      db,
      kind: "postgres",
      raw: { kind: "postgres", sql: client },
      migrate: () => migrateWithLock(options.url),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    raw: { kind: "pglite", client },
    migrate: () =>
      migratePglite(drizzlePglite({ client, casing: "snake_case" }), { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

/** Several servers may start at once against one Postgres: an advisory lock lets one migrate at a time. */
async function migrateWithLock(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {}, ...noDelaySocket });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres({ client, casing: "snake_case" }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

export function optionsFromEnv(): DatabaseOptions {
  const config = env();
  return config.DATABASE_URL
    ? { kind: "postgres", url: config.DATABASE_URL, statementTimeoutMs: config.STATEMENT_TIMEOUT_SECONDS * 1000 }
    : { kind: "pglite", dataDir: path.join(config.DATA_DIR, "pglite") };
}

// Kept on globalThis so that development reloads reuse one connection (PGlite allows only one).
const globalForDb = globalThis as unknown as { intakeDb?: Promise<DatabaseHandle> };

/** The application's database, opened on first use and migrated before it is handed out. */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.intakeDb ??= (async () => {
    const handle = await openDatabase(optionsFromEnv());
    await handle.migrate();
    return handle;
  })().catch((error: unknown) => {
    globalForDb.intakeDb = undefined;
    throw error;
  });
  return globalForDb.intakeDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabase()).db;
}

/** Points the application at a database opened elsewhere (integration tests open their own). */
export function useDatabase(handle: DatabaseHandle): void {
  globalForDb.intakeDb = Promise.resolve(handle);
}
