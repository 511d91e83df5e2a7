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
import { cancellableWithRequest, inRequestQueries } from "./request-queries";
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
      /**
       * API requests' statements (inside withRequestQueries) get a pool of their own whose statements
       * Postgres cancels after this long; without it they share the one pool and its timeout.
       */
      requestStatementTimeoutMs?: number;
    }
  | { kind: "pglite"; dataDir?: string };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.kind === "postgres") {
    const { url, max = 10, statementTimeoutMs, requestStatementTimeoutMs } = options;
    const client = openPool(url, max, statementTimeoutMs);
    const requestClient = requestStatementTimeoutMs ? openPool(url, max, requestStatementTimeoutMs) : client;
    const db = drizzleOver(client);
    const requestDb = requestClient === client ? db : drizzleOver(requestClient);
    return {
      db: requestDb === db ? db : onRequestPoolInRequests(db, requestDb),
      kind: "postgres",
      raw: { kind: "postgres", sql: client },
      migrate: () => migrateWithLock(url),
      close: async () => {
        await Promise.all([...new Set([client, requestClient])].map((pool) => pool.end({ timeout: 5 })));
      },
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

function openPool(url: string, max: number, statementTimeoutMs: number | undefined): postgres.Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    ...noDelaySocket,
    ...(statementTimeoutMs ? { connection: { statement_timeout: statementTimeoutMs } } : {}),
  });
}

function drizzleOver(client: postgres.Sql): Database {
  return drizzlePostgres({ client: cancellableWithRequest(client), schema, casing: "snake_case" });
}

/** One query builder for all code: inside an API request it builds on the request pool, elsewhere on the application pool. */
function onRequestPoolInRequests(applicationDb: Database, requestDb: Database): Database {
  return new Proxy(applicationDb, {
    get(_target, property) {
      const chosen = inRequestQueries() ? requestDb : applicationDb;
      return Reflect.get(chosen, property, chosen) as unknown;
    },
  });
}

/** Several servers may start at once against one Postgres: an advisory lock lets one migrate at a time. */
async function migrateWithLock(url: string): Promise<void> {
  const client = openPool(url, 1, undefined);
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
    ? {
        kind: "postgres",
        url: config.DATABASE_URL,
        statementTimeoutMs: config.STATEMENT_TIMEOUT_SECONDS * 1000,
        requestStatementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      }
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
