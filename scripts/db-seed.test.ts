import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as refresh } from "@/app/api/auth/refresh/route";
import { getDatabase, openDatabase, useDatabase as pointAppAtDatabase, type DatabaseOptions } from "@/db";
import { findUserByEmail } from "@/db/queries/users";
import { createThrowawayDatabase, testBackends } from "@/test/database";
import { createUser } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";

const ADMIN = { email: "admin@cli.test", password: "first-password" };
const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

type Run = { code: number; stdout: string; stderr: string };

/** `npm run db:seed -- <args>` as a newcomer runs it, in its own process, against the given database. */
async function seed(args: string[], database: { dataDir: string; url: string | null }): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      TSX,
      ["--conditions=react-server", "scripts/db-seed.ts", ...args],
      {
        env: {
          ...process.env,
          NODE_ENV: "development",
          DATA_DIR: database.dataDir,
          DATABASE_URL: database.url ?? "",
          AUTH_SECRET: "db-seed-test-secret-0000000000000000000000",
          SEED_ADMIN_EMAIL: ADMIN.email,
          SEED_ADMIN_PASSWORD: ADMIN.password,
          LOG_LEVEL: "silent",
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe.each(testBackends())("npm run db:seed -- --reset-password ($kind)", (backend) => {
  if (backend.skip) return it.skip("needs TEST_DATABASE_URL");
  const database = { dataDir: "", url: null as string | null };
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    database.dataDir = await mkdtemp(path.join(tmpdir(), "intake-seed-"));
    if (backend.serverUrl) {
      const throwaway = await createThrowawayDatabase(backend.serverUrl);
      database.url = throwaway.url;
      drop = throwaway.drop;
    }
  });

  afterAll(async () => {
    await drop?.();
    await rm(database.dataDir, { recursive: true, force: true });
  });

  /** Opens the script's database in this process (the embedded one takes one process at a time) for `check`. */
  async function inspect(check: () => Promise<void>): Promise<void> {
    const options: DatabaseOptions = database.url
      ? { kind: "postgres", url: database.url, max: 2 }
      : { kind: "pglite", dataDir: path.join(database.dataDir, "pglite") };
    const handle = await openDatabase(options);
    pointAppAtDatabase(handle);
    try {
      await check();
    } finally {
      await handle.close();
    }
  }

  const loginWith = (password: string) => call(login, "/api/auth/login", { body: { email: ADMIN.email, password } });

  // Each run starts a process that opens (the first time, migrates) the database: minutes on a busy machine.
  it("prints a new password that signs in; the old one and the admin's refresh tokens stop working", async () => {
    const first = await seed([], database);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`email:    ${ADMIN.email}`);

    let refreshToken = "";
    await inspect(async () => {
      const result = await loginWith(ADMIN.password);
      expect(result.status).toBe(200);
      refreshToken = (result.json as { refresh_token: string }).refresh_token;
    });

    const reset = await seed(["--reset-password", "ADMIN@cli.test"], database);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toBe("");
    const match = /New password for admin@cli\.test, shown only once:\n(\S+)\n/.exec(reset.stdout);
    expect(match, reset.stdout).not.toBeNull();
    const newPassword = match?.[1] ?? "";
    expect(reset.stdout).toContain("refresh tokens revoked: 1");

    await inspect(async () => {
      expectEnvelope(await loginWith(ADMIN.password), 401, "AUTHENTICATION_FAILED");
      expect((await loginWith(newPassword)).status).toBe(200);
      const stale = await call(refresh, "/api/auth/refresh", { body: { refresh_token: refreshToken } });
      expectEnvelope(stale, 401, "AUTHENTICATION_FAILED");
    });
  }, 180_000);

  it("--platform-admin makes an existing account a platform administrator, once; an unknown email exits 1", async () => {
    const email = `ops-${Date.now()}@cli.test`;
    await inspect(async () => {
      await createUser((await getDatabase()).db, { email });
    });
    const granted = await seed(["--platform-admin", email.toUpperCase()], database);
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain(`${email} is now a platform administrator.`);
    const again = await seed(["--platform-admin", email], database);
    expect(again.stdout).toContain(`${email} already is a platform administrator.`);
    await inspect(async () => {
      expect((await findUserByEmail({ email }))?.isPlatformAdmin).toBe(true);
    });
    const unknown = await seed(["--platform-admin", "nobody@cli.test"], database);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("No account has the email 'nobody@cli.test'");
  }, 180_000);

  it("refuses an unknown email with a clear message and exit code 1", async () => {
    const unknown = await seed(["--reset-password", "nobody@cli.test"], database);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("No account has the email 'nobody@cli.test'");
    expect(unknown.stdout).not.toContain("New password");
  });
});
