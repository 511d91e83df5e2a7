/**
 * npm run bench:ingest -- --rows N [--warmup-rows W]
 * Generates a deterministic contacts file, stores it, and runs the whole pipeline in-process (register,
 * stage, detect issues, resolve them by skipping their rows, promote to contacts). Prints one JSON line
 * with the time, the peak memory, and the COPY floor: the time the same database takes to COPY the same
 * file into a bare four-column table.
 *
 * A server imports many files in one process; the first file of a fresh process also pays for compiling
 * the code it runs. So a small file (W rows, default 2,000; 0 for none) goes through the same path
 * first, for another company, untimed, and the figures are those of a warm server.
 */
import { rmSync } from "node:fs";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { count, eq } from "drizzle-orm";
import { removeBenchCompany } from "./bench/cleanup";
import { adminContext, benchDataDir } from "./bench/data-dir";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "100000" },
      "warmup-rows": { type: "string", default: "2000" },
      keep: { type: "boolean", default: false },
    },
  });
  const rows = Number(values.rows);
  const warmupRows = Number(values["warmup-rows"]);
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(warmupRows) || warmupRows < 0) {
    console.error("--rows must be a positive whole number, --warmup-rows a whole number");
    process.exit(1);
  }
  const dataDir = benchDataDir("intake-bench");

  const { getDatabase } = await import("@/db");
  const { ensureCompany } = await import("@/db/queries/companies");
  const { contacts, issues, stagingRows } = await import("@/db/schema");
  const { registerStoredUpload } = await import("@/lib/ingest/register");
  const { finishReview } = await import("@/lib/review/finish");
  const { drain, startRunner, stopRunner } = await import("@/lib/background/in-process/runner");
  const { getStorage, uploadKey } = await import("@/lib/storage");
  const { contactsFile } = await import("@/test/contacts-file");
  const { copyIntoBareTable, dropBareTable } = await import("./bench/copy-floor");

  const handle = await getDatabase();
  const db = handle.db;
  const storage = getStorage();
  type Company = Awaited<ReturnType<typeof ensureCompany>>;

  async function storeFile(
    company: Company,
    fileRows: number,
  ): Promise<{ key: string; fileName: string; size: number }> {
    const fileName = `bench-${fileRows}.csv`;
    const key = uploadKey({ companyId: company.id, fileName });
    await storage.write(key, Readable.from(contactsFile(fileRows)), { contentType: "text/csv" });
    return { key, fileName, size: (await storage.head(key))?.size ?? 0 };
  }

  /** The file from storage to contacts, as the product does it; `mark` is called after each phase. */
  async function importFile(
    company: Company,
    file: { key: string; fileName: string },
    mark: (name: string) => void = () => undefined,
  ) {
    const job = await registerStoredUpload({
      ctx: adminContext(company),
      key: file.key,
      fileName: file.fileName,
      importMode: "upsert",
    });
    mark("registered");
    await drain({ timeoutMs: 60 * 60 * 1000 });
    mark("staged_and_checked");
    // Review, the quick way: every issue resolved at once, so nobody keeps their rows; then the job is finished
    // by finish-review's own code (its rows still ISSUE skipped, the READY ones promoted), run inline.
    await db
      .update(issues)
      .set({ resolved: true, resolvedAt: new Date(), resolvedBy: "benchmark" })
      .where(eq(issues.jobId, job.id));
    const finished = await finishReview({ jobId: job.id, companyId: company.id, step: { run: (_id, work) => work() } });
    if (finished.status !== "COMPLETED") throw new Error(`the job did not finish: ${finished.status}`);
    mark("promoted");
    return { jobId: job.id, counts: finished.counts };
  }

  startRunner();
  if (warmupRows > 0) {
    const warmup = await ensureCompany({ name: `Benchmark warm-up ${Date.now()}` });
    await importFile(warmup, await storeFile(warmup, warmupRows));
    await removeBenchCompany(db, warmup.id);
  }

  const company = await ensureCompany({ name: `Benchmark ${Date.now()}` });
  const file = await storeFile(company, rows);

  // The floor: COPY of the same bytes into a bare table, on the same database, in the same run.
  const copyFloorSeconds = await copyIntoBareTable(handle, () => storage.read(file.key));
  await dropBareTable(handle);

  const started = performance.now();
  const marks: Record<string, number> = {};
  const heapMb: Record<string, number> = {};
  const { jobId, counts } = await importFile(company, file, (name) => {
    marks[name] = Math.round((performance.now() - started) / 10) / 100;
    heapMb[name] = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
  });
  const seconds = (performance.now() - started) / 1000;
  stopRunner();

  const [staged] = await db.select({ n: count() }).from(stagingRows).where(eq(stagingRows.jobId, jobId));
  const [landed] = await db.select({ n: count() }).from(contacts).where(eq(contacts.companyId, company.id));
  const [issueCount] = await db.select({ n: count() }).from(issues).where(eq(issues.jobId, jobId));
  console.log(
    JSON.stringify({
      rows,
      seconds: Math.round(seconds * 100) / 100,
      rows_per_second: Math.round(rows / seconds),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      copy_floor_seconds: Math.round(copyFloorSeconds * 100) / 100,
      ratio: Math.round((seconds / copyFloorSeconds) * 10) / 10,
      driver: handle.kind,
      file_mb: Math.round((file.size / 1024 / 1024) * 10) / 10,
      warmup_rows: warmupRows,
      staged_rows: staged?.n,
      issues: issueCount?.n,
      contacts: landed?.n,
      inserted: counts.inserted,
      marks,
      heap_mb: heapMb,
    }),
  );
  if (!values.keep) await removeBenchCompany(db, company.id);
  await handle.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
