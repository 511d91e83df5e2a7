/**
 * npm run bench:stall [-- --big-rows N --small-rows N --batch-rows N --batch-files N]
 * Jobs that once stalled (a plan quadratic in the job, chosen on statistics that predate it), each timed
 * beside the same file imported into an empty company in the same run. Postgres only (DATABASE_URL).
 *
 * 1. A company imports a 1,000,000-row file; its contacts are then analysed (as autovacuum would do),
 *    so the statistics know that job and no other. Then a 90,000-row file: the job that sat 17 minutes.
 * 2. Four 250,000-row files registered at once into that company (by then about 1,090,000 contacts).
 * Every file is clean (no issues), so each job goes from registration to COMPLETED with no person in
 * between, through the in-process runner as a server without Inngest runs it. One JSON line per job:
 * `seconds` (processing: started to finished), `empty_company_seconds` (the same file into a company
 * with no contacts, same run) and their `ratio`; `wall_seconds` counts from registration (queueing too).
 */
import { rmSync } from "node:fs";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { removeBenchCompany } from "./bench/cleanup";
import { adminContext, benchDataDir } from "./bench/data-dir";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "big-rows": { type: "string", default: "1000000" },
      "small-rows": { type: "string", default: "90000" },
      "batch-rows": { type: "string", default: "250000" },
      "batch-files": { type: "string", default: "4" },
    },
  });
  const bigRows = Number(values["big-rows"]);
  const smallRows = Number(values["small-rows"]);
  const batchRows = Number(values["batch-rows"]);
  const batchFiles = Number(values["batch-files"]);
  if (![bigRows, smallRows, batchRows, batchFiles].every((value) => Number.isInteger(value) && value > 0)) {
    console.error("--big-rows, --small-rows, --batch-rows and --batch-files must be positive whole numbers");
    process.exit(1);
  }
  if (!process.env.DATABASE_URL) {
    console.error("bench:stall measures Postgres plans: set DATABASE_URL to a Postgres server");
    process.exit(1);
  }
  const dataDir = benchDataDir("intake-bench-stall");

  const { getDatabase } = await import("@/db");
  const { ensureCompany } = await import("@/db/queries/companies");
  const { findJobForWorker } = await import("@/db/queries/jobs");
  const { rowsOf } = await import("@/db/rows");
  const { registerStoredUpload } = await import("@/lib/ingest/register");
  const { drain, startRunner, stopRunner } = await import("@/lib/background/in-process/runner");
  const { getStorage, uploadKey } = await import("@/lib/storage");
  const { CONTACTS_HEADER } = await import("@/test/contacts-file");

  const handle = await getDatabase();
  const db = handle.db;
  const storage = getStorage();
  type Company = Awaited<ReturnType<typeof ensureCompany>>;
  type StoredFile = { key: string; fileName: string };
  const runId = Date.now();

  /** A clean file (every email new, no issues) of `rows` people whose emails start with `prefix`. */
  function* cleanFile(rows: number, prefix: string): Generator<string> {
    let piece = CONTACTS_HEADER;
    for (let index = 0; index < rows; index += 1) {
      piece += `${prefix}${index}@example.com,First${index % 997},Last${index % 991},Company ${index % 97}\n`;
      if ((index + 1) % 10_000 === 0) {
        yield piece;
        piece = "";
      }
    }
    if (piece) yield piece;
  }

  /** The same file content, stored once for each company that imports it. */
  async function store(company: Company, rows: number, prefix: string): Promise<StoredFile> {
    const fileName = `${prefix}${rows}.csv`;
    const key = uploadKey({ companyId: company.id, fileName });
    await storage.write(key, Readable.from(cleanFile(rows, prefix)), { contentType: "text/csv" });
    return { key, fileName };
  }

  type Timed = { jobId: number; seconds: number; wallSeconds: number; inserted: number };

  /** Registers the files at once, lets the runner take them all to the end, and times each job. */
  async function importAtOnce(company: Company, files: StoredFile[]): Promise<Timed[]> {
    const jobs = [];
    for (const file of files) {
      jobs.push(
        await registerStoredUpload({
          ctx: adminContext(company),
          key: file.key,
          fileName: file.fileName,
          importMode: "upsert",
        }),
      );
    }
    await drain({ timeoutMs: 2 * 60 * 60 * 1000 });
    return Promise.all(
      jobs.map(async (job) => {
        const done = await findJobForWorker({ jobId: job.id });
        if (done?.status !== "COMPLETED" || !done.startedAt || !done.finishedAt) {
          throw new Error(`job ${job.id} ended ${done?.status ?? "missing"}: ${done?.error ?? ""}`);
        }
        const seconds = (done.finishedAt.getTime() - done.startedAt.getTime()) / 1000;
        const wallSeconds = (done.finishedAt.getTime() - done.createdAt.getTime()) / 1000;
        return { jobId: job.id, seconds, wallSeconds, inserted: done.insertedCount };
      }),
    );
  }

  async function contactCount(company: Company): Promise<number> {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM contacts WHERE company_id = ${company.id}`),
    );
    return row?.n ?? 0;
  }

  const round = (value: number) => Math.round(value * 100) / 100;
  function report(scenario: string, rows: number, contactsBefore: number, measured: Timed, empty: Timed): void {
    console.log(
      JSON.stringify({
        scenario,
        job_id: measured.jobId,
        rows,
        company_contacts_before: contactsBefore,
        seconds: round(measured.seconds),
        empty_company_seconds: round(empty.seconds),
        ratio: round(measured.seconds / empty.seconds),
        wall_seconds: round(measured.wallSeconds),
        empty_company_wall_seconds: round(empty.wallSeconds),
        inserted: measured.inserted,
      }),
    );
  }

  const companies: Company[] = [];
  const company = async (name: string) => {
    const created = await ensureCompany({ name: `Stall ${name} ${runId}` });
    companies.push(created);
    return created;
  };

  startRunner();
  try {
    // 1. A large import, its statistics taken, then a smaller one into the same company.
    const busy = await company("busy");
    const [big] = await importAtOnce(busy, [await store(busy, bigRows, "big")]);
    if (!big) throw new Error("no big job");
    await db.execute(sql`ANALYZE contacts`);
    await db.execute(sql`ANALYZE staging_rows`);
    report("large import into an empty company (its own baseline)", bigRows, 0, big, big);

    const beforeSmall = await contactCount(busy);
    const [small] = await importAtOnce(busy, [await store(busy, smallRows, "small")]);
    const emptyForSmall = await company("empty small");
    const [smallEmpty] = await importAtOnce(emptyForSmall, [await store(emptyForSmall, smallRows, "small")]);
    if (!small || !smallEmpty) throw new Error("no small job");
    report("after the large import, same company", smallRows, beforeSmall, small, smallEmpty);

    // 2. Several files at once into the company that now has more than a million contacts.
    const beforeBatch = await contactCount(busy);
    const batchFilesBusy = [];
    for (let index = 0; index < batchFiles; index += 1)
      batchFilesBusy.push(await store(busy, batchRows, `batch${index}-`));
    const batch = await importAtOnce(busy, batchFilesBusy);
    const emptyForBatch = await company("empty batch");
    const batchFilesEmpty = [];
    for (let index = 0; index < batchFiles; index += 1)
      batchFilesEmpty.push(await store(emptyForBatch, batchRows, `batch${index}-`));
    const batchEmpty = await importAtOnce(emptyForBatch, batchFilesEmpty);
    batch.forEach((measured, index) => {
      const empty = batchEmpty[index];
      if (empty)
        report(`${batchFiles} files at once into a company with contacts`, batchRows, beforeBatch, measured, empty);
    });
  } finally {
    stopRunner();
    for (const created of companies) await removeBenchCompany(db, created.id);
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
