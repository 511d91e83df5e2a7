import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { openDatabase, type DatabaseHandle } from "@/db";
import { createThrowawayDatabase, type TestBackend } from "@/test/database";

/** What the tests read of the worker's JSON log lines (LOG_FORMAT=json). */
export type WorkerLogEntry = { message?: string; step?: string; run_id?: string; function_id?: string };

const root = path.resolve(import.meta.dirname, "..");

/**
 * Runs a server's background runner (test/background-worker.ts) in a child process. With `killWhen`, it is
 * SIGKILLed at the first log entry for which `killWhen` answers true, and the promise resolves then; without,
 * the worker is run with `--until-idle` and the promise resolves when it exits having finished every run.
 * Rejects when the worker exits otherwise, or is still going after `timeoutMs`.
 */
export function runBackgroundWorker({
  env,
  concurrency = 1,
  killWhen,
  timeoutMs = 90_000,
}: {
  env: NodeJS.ProcessEnv;
  concurrency?: number;
  killWhen?: (entry: WorkerLogEntry) => boolean;
  timeoutMs?: number;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    // tsx as a loader inside this one node process: tsx's own CLI would run the worker in a grandchild
    // that a SIGKILL to the CLI does not reach.
    const args = ["--import", "tsx", "--conditions=react-server", "test/background-worker.ts"];
    args.push(`--concurrency=${concurrency}`);
    if (!killWhen) args.push("--until-idle");
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the worker was still running after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    if (killWhen) {
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (line.startsWith("{") && killWhen(JSON.parse(line) as WorkerLogEntry)) child.kill("SIGKILL");
      });
    } else {
      child.stdout.resume();
    }
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (killWhen ? signal === "SIGKILL" : code === 0) resolve();
      else reject(new Error(`the worker exited by itself (${String(code ?? signal)}); stderr: ${stderr}`));
    });
  });
}

/** A database the test and its worker processes take turns with, and the environment a worker gets. */
export type WorkerDatabase = {
  /** Opens it in this process. PGlite is one process's database: close it before a worker runs. */
  open: () => Promise<DatabaseHandle>;
  /** The worker's environment: this process's, logging JSON at debug level, with `extra`, on this database. */
  workerEnv: (extra?: Record<string, string>) => NodeJS.ProcessEnv;
  drop: () => Promise<void>;
};

/** A fresh database for `backend`: a throwaway one on the Postgres server, or PGlite files under `dataDir`. */
export async function workerDatabase(backend: TestBackend, dataDir: string): Promise<WorkerDatabase> {
  const throwaway =
    backend.kind === "postgres" && backend.serverUrl ? await createThrowawayDatabase(backend.serverUrl) : null;
  return {
    open: () =>
      throwaway
        ? openDatabase({ kind: "postgres", url: throwaway.url, max: 2 })
        : openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") }),
    workerEnv: (extra: Record<string, string> = {}) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: "debug",
        LOG_FORMAT: "json",
        ...extra,
      };
      if (throwaway) env.DATABASE_URL = throwaway.url;
      else delete env.DATABASE_URL;
      return env;
    },
    drop: () => throwaway?.drop() ?? Promise.resolve(),
  };
}
