import { spawn } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db";
import { usageRecords } from "@/db/schema";
import { createThrowawayDatabase, testBackends } from "@/test/database";
import { createCompany } from "@/test/fixtures";

const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const postgres = testBackends().find((backend) => backend.kind === "postgres");

// Another process writes to the database, so this needs a server both reach: Postgres only.
describe.skipIf(!postgres?.serverUrl)("usage recorder at shutdown (postgres)", () => {
  let throwaway: { url: string; drop: () => Promise<void> };
  let handle: DatabaseHandle;

  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(postgres?.serverUrl ?? "");
    handle = await openDatabase({ kind: "postgres", url: throwaway.url, max: 2 });
    await handle.migrate();
  });

  afterAll(async () => {
    await handle.close();
    await throwaway.drop();
  });

  it("writes what is buffered when the process is told to stop, then stops", async () => {
    const company = await createCompany(handle.db);
    const worker = spawn(
      TSX,
      ["--tsconfig", "test/tsconfig.processes.json", "test/usage-exit-worker.ts", "--requests", "7"],
      {
        env: {
          ...process.env,
          NODE_ENV: "test",
          DATABASE_URL: throwaway.url,
          USAGE_WORKER_COMPANY: company.id,
          LOG_LEVEL: "silent",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      worker.on("exit", (code, signal) => resolve({ code, signal })),
    );
    const buffered = await new Promise<string>((resolve) =>
      worker.stdout.on("data", (chunk: Buffer) => resolve(chunk.toString("utf8").trim())),
    );
    // At once: the buffer's timer would write the entries a second later anyway.
    worker.kill("SIGTERM");
    expect(buffered).toBe("buffered 7");
    const exit = await ended;
    expect(exit.signal === "SIGTERM" || exit.code === 143, JSON.stringify(exit)).toBe(true);
    expect(await handle.db.$count(usageRecords, eq(usageRecords.companyId, company.id))).toBe(7);
  });
});
