/**
 * npm run bench:ingest -- --rows N
 * Generates a deterministic contacts file, stores it, and runs the whole pipeline in-process (register,
 * stage, detect issues, resolve them by skipping their rows, promote to contacts). Prints one JSON line
 * with the time, the peak memory, and the COPY floor: the time the same database takes to COPY the same
 * file into a bare four-column table.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { count, eq, sql } from "drizzle-orm";

async function main(): Promise<void> {
const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, keep: { type: "boolean", default: false } } });
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) {
  console.error("--rows must be a positive whole number");
  process.exit(1);
}
// The benchmark gets its own data directory (local file store, and PGlite when DATABASE_URL is unset).
const dataDir = mkdtempSync(path.join(tmpdir(), "intake-bench-"));
process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL ??= "warn";

const { getDatabase } = await import("@/db");
const { ensureCompany } = await import("@/db/queries/companies");
const { contacts, issues, stagingRows } = await import("@/db/schema");
const { registerStoredUpload, uploadKey } = await import("@/lib/ingest/register");
const { finishReview } = await import("@/lib/review/finish");
const { drain, startRunner, stopRunner } = await import("@/lib/jobs/runner");
const { getStorage } = await import("@/lib/storage");
const { contactsFile } = await import("@/test/contacts-file");

const handle = await getDatabase();
const db = handle.db;
const storage = getStorage();
const company = await ensureCompany({ name: `Benchmark ${Date.now()}` });
const fileName = `bench-${rows}.csv`;
const key = uploadKey({ companyId: company.id, fileName });
await storage.write(key, Readable.from(contactsFile(rows)), { contentType: "text/csv" });
const size = (await storage.head(key))?.size ?? 0;

// The floor: COPY of the same bytes into a bare table, on the same database, in the same run.
await db.execute(sql`DROP TABLE IF EXISTS bench_copy_floor`);
await db.execute(sql`CREATE UNLOGGED TABLE bench_copy_floor (email text, first_name text, last_name text, company text)`);
const floorStarted = performance.now();
if (handle.raw.kind === "postgres") {
  const writable = await handle.raw.sql`COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)`.writable();
  await pipeline(await storage.read(key), writable);
} else {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.read(key)) chunks.push(chunk as Buffer);
  await handle.raw.client.query("COPY bench_copy_floor FROM '/dev/blob' WITH (FORMAT csv, HEADER true)", [], {
    blob: new Blob(chunks.map((chunk) => new Uint8Array(chunk))),
  });
}
const copyFloorSeconds = (performance.now() - floorStarted) / 1000;
await db.execute(sql`DROP TABLE bench_copy_floor`);

const ctx = {
  method: "api_key" as const,
  companyId: company.id,
  companyName: company.name,
  companySlug: company.slug,
  groups: ["admin" as const],
  user: null,
  apiKey: null,
};
const started = performance.now();
const marks: Record<string, number> = {};
const heapMb: Record<string, number> = {};
const mark = (name: string) => {
  marks[name] = Math.round((performance.now() - started) / 10) / 100;
  heapMb[name] = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
};

startRunner();
const job = await registerStoredUpload({ ctx, key, fileName, importMode: "upsert" });
mark("registered");
await drain({ timeoutMs: 60 * 60 * 1000 });
mark("staged_and_checked");
// Review, the quick way: every issue resolved at once, so nobody keeps their rows; then the job is finished
// by finish-review's own code (its rows still ISSUE skipped, the READY ones promoted), run inline.
await db.update(issues).set({ resolved: true, resolvedAt: new Date(), resolvedBy: "benchmark" }).where(eq(issues.jobId, job.id));
const finished = await finishReview({ jobId: job.id, companyId: company.id, step: { run: (_id, work) => work() } });
if (finished.status !== "COMPLETED") throw new Error(`the job did not finish: ${finished.status}`);
const counts = finished.counts;
const seconds = (performance.now() - started) / 1000;
mark("promoted");
stopRunner();

const [staged] = await db.select({ n: count() }).from(stagingRows).where(eq(stagingRows.jobId, job.id));
const [landed] = await db.select({ n: count() }).from(contacts).where(eq(contacts.companyId, company.id));
const [issueCount] = await db.select({ n: count() }).from(issues).where(eq(issues.jobId, job.id));
console.log(
  JSON.stringify({
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rows_per_second: Math.round(rows / seconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    copy_floor_seconds: Math.round(copyFloorSeconds * 100) / 100,
    ratio: Math.round((seconds / copyFloorSeconds) * 10) / 10,
    driver: handle.kind,
    file_mb: Math.round((size / 1024 / 1024) * 10) / 10,
    staged_rows: staged?.n,
    issues: issueCount?.n,
    contacts: landed?.n,
    inserted: counts.inserted,
    marks,
    heap_mb: heapMb,
  }),
);
if (!values.keep) {
  await db.execute(sql`DELETE FROM jobs WHERE company_id = ${company.id}`);
  await db.execute(sql`DELETE FROM contacts WHERE company_id = ${company.id}`);
  await db.execute(sql`DELETE FROM staging_rows WHERE company_id = ${company.id}`);
  await db.execute(sql`DELETE FROM companies WHERE id = ${company.id}`);
}
await handle.close();
rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
