import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
// Renamed on import: it is not a React hook, but the hooks lint rule goes by the name.
import {
  openDatabase,
  useDatabase as pointAppAtDatabase,
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
} from "@/db";

/**
 * Integration tests run once per database back end: always PGlite (in memory), and also a real
 * Postgres server when TEST_DATABASE_URL is set. Each test file gets its own fresh, migrated database
 * per back end; the Postgres one is a throwaway database created on that server and dropped afterwards.
 *
 *   describeEachBackend("auth routes", (database) => {
 *     it("…", async () => { await database.db.insert(…) });
 *   });
 *
 * or, with the list itself:
 *
 *   describe.each(testBackends())("auth routes ($kind)", (backend) => {
 *     if (backend.skip) return it.skip("needs TEST_DATABASE_URL");
 *     const database = setupTestDatabase(backend);
 *     …
 *   });
 */

export type BackendKind = "pglite" | "postgres";

export type TestBackend = {
  kind: BackendKind;
  /** The server to create throwaway databases on (Postgres only). */
  serverUrl: string | null;
  /** True when this back end cannot run here (Postgres without TEST_DATABASE_URL). */
  skip: boolean;
};

export type TestDatabase = {
  readonly kind: BackendKind;
  readonly handle: DatabaseHandle;
  readonly db: Database;
};

export function testBackends(): TestBackend[] {
  const serverUrl = process.env.TEST_DATABASE_URL?.trim() || null;
  return [
    { kind: "pglite", serverUrl: null, skip: false },
    { kind: "postgres", serverUrl, skip: serverUrl === null },
  ];
}

/**
 * One `describe` per back end, titled "<title> (<kind>)". The Postgres one is reported as skipped,
 * not left out, when TEST_DATABASE_URL is unset.
 */
export function describeEachBackend(title: string, body: (database: TestDatabase) => void): void {
  for (const backend of testBackends()) {
    const name = backend.skip
      ? `${title} (${backend.kind}: set TEST_DATABASE_URL to run)`
      : `${title} (${backend.kind})`;
    describe.skipIf(backend.skip)(name, () => {
      body(setupTestDatabase(backend));
    });
  }
}

/** How a test's Postgres pools are opened (pool size, statement timeouts). */
export type PostgresOptions = Omit<Extract<DatabaseOptions, { kind: "postgres" }>, "kind" | "url">;

/**
 * Registers hooks in the current `describe` that open a fresh database for it, migrate it and point
 * the application's `getDb()` at it; the database is closed (and dropped, for Postgres) afterwards.
 */
export function setupTestDatabase(backend: TestBackend, postgresOptions: PostgresOptions = {}): TestDatabase {
  let handle: DatabaseHandle | undefined;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (backend.kind === "pglite") {
      handle = await openDatabase({ kind: "pglite" });
    } else {
      if (!backend.serverUrl) throw new Error("The Postgres back end needs TEST_DATABASE_URL");
      const throwaway = await createThrowawayDatabase(backend.serverUrl);
      drop = throwaway.drop;
      handle = await openDatabase({ kind: "postgres", url: throwaway.url, max: 4, ...postgresOptions });
    }
    await handle.migrate();
    pointAppAtDatabase(handle);
  });

  // Another describe in the same file may have pointed the app elsewhere in between.
  beforeEach(() => {
    if (handle) pointAppAtDatabase(handle);
  });

  afterAll(async () => {
    try {
      await handle?.close();
    } finally {
      await drop?.();
    }
  });

  const current = (): DatabaseHandle => {
    if (!handle) throw new Error("The test database is opened in beforeAll; use it inside hooks and tests only");
    return handle;
  };
  return {
    kind: backend.kind,
    get handle() {
      return current();
    },
    get db() {
      return current().db;
    },
  };
}

export async function createThrowawayDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `intake_test_${randomBytes(6).toString("hex")}`;
  await withServer(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withServer(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withServer(serverUrl: string, run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
