/**
 * npm run bench:floors -- --rows N
 * What an import of N rows cannot go below on this machine and database, measured in one run next to
 * the COPY floor of bench:ingest (the same file COPYed into a bare four-column table):
 *
 * - parse: this process reading, splitting, normalising and checking the file and encoding its staging
 *   rows, exactly as staging does, with no database at all;
 * - required: the two writes the ingestion issue itself asks for, with nothing else: every row staged
 *   under a unique job + row number, then the file's distinct emails inserted as contacts under a unique
 *   company + email. Set-based INSERT … SELECT from the loaded bare table, so no parsing at all;
 * - intake_tables: the same two writes into copies of Intake's own staging_rows and contacts tables
 *   (their columns, keys, indexes and storage settings).
 *
 * A job cannot land a contact before its whole file is staged and checked (a later row can make an
 * earlier one a duplicate), so the two writes add up. Prints one JSON line.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";

const TARGET_RATIO = 8;
const COMPANY = "00000000-0000-4000-8000-000000000001";
const TABLES = [
  "bench_floor_staging_min",
  "bench_floor_contacts_min",
  "bench_floor_first_rows",
  "bench_floor_staging",
  "bench_floor_contacts",
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) {
    console.error("--rows must be a positive whole number");
    process.exit(1);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "intake-floors-"));
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= "warn";

  const { getDatabase } = await import("@/db");
  const { csvLines } = await import("@/db/copy");
  const { rowsOf } = await import("@/db/rows");
  const { readRecordBatches } = await import("@/lib/csv");
  const { HEAD_BYTES, checkFile } = await import("@/lib/ingest/register");
  const { BATCH_RECORDS, stagingRow } = await import("@/lib/ingest/stage");
  const { contactsFile } = await import("@/test/contacts-file");
  const { BARE_TABLE, copyIntoBareTable, dropBareTable } = await import("./bench/copy-floor");

  const filePath = path.join(dataDir, "contacts.csv");
  await pipeline(Readable.from(contactsFile(rows)), createWriteStream(filePath));

  const handle = await getDatabase();
  const execute = (statement: string) => handle.db.execute(sql.raw(statement));
  /** Seconds one statement takes, after a checkpoint so that no earlier write is flushed during it. */
  async function timed(statement: string): Promise<number> {
    if (handle.kind === "postgres") await execute("CHECKPOINT");
    const started = performance.now();
    await execute(statement);
    return (performance.now() - started) / 1000;
  }
  async function dropTables(): Promise<void> {
    await execute(`DROP TABLE IF EXISTS ${TABLES.join(", ")}`);
    await dropBareTable(handle);
  }

  try {
    await dropTables();
    const copyFloor = await copyIntoBareTable(handle, () => Promise.resolve(createReadStream(filePath)));

    // This process's share of staging, with the database left out.
    // The file's layout, found as registration finds it: from its head.
    const { size } = await stat(filePath);
    const file = await open(filePath);
    const { buffer, bytesRead } = await file
      .read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0)
      .finally(() => file.close());
    const layout = checkFile({ fileName: "contacts.csv", size, head: buffer.subarray(0, bytesRead), maxBytes: size });
    const parseStarted = performance.now();
    const reader = readRecordBatches(createReadStream(filePath, { start: layout.dataOffset }), layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: Number.POSITIVE_INFINITY,
      batchSize: BATCH_RECORDS,
    });
    let parsedRows = 0;
    let copyBytes = 0;
    for await (const records of reader.batches) {
      parsedRows += records.length;
      for (const piece of csvLines(
        records.map((record) => stagingRow({ jobId: 1, companyId: COMPANY, record, layout })),
      ))
        copyBytes += piece.length;
    }
    const parseSeconds = (performance.now() - parseStarted) / 1000;

    // What the issue requires and nothing more.
    await execute(`CREATE TABLE bench_floor_staging_min (job_id bigint NOT NULL, row_number integer NOT NULL, email text,
      first_name text, last_name text, company text, status text NOT NULL, UNIQUE (job_id, row_number))`);
    await execute(`CREATE TABLE bench_floor_contacts_min (company_id uuid NOT NULL, email text NOT NULL, first_name text,
      last_name text, company text, UNIQUE (company_id, email))`);
    const requiredStaging = await timed(`INSERT INTO bench_floor_staging_min
      SELECT 1, row_number() OVER () + 1, lower(email), first_name, last_name, company, 'READY' FROM ${BARE_TABLE}`);
    // Each email's first row, in file order (untimed: which rows land is detection's business).
    await execute(`CREATE TABLE bench_floor_first_rows AS
      SELECT * FROM (SELECT DISTINCT ON (email) * FROM bench_floor_staging_min WHERE email IS NOT NULL ORDER BY email, row_number) first
      ORDER BY row_number`);
    await execute("ANALYZE bench_floor_first_rows");
    const requiredContacts = await timed(`INSERT INTO bench_floor_contacts_min
      SELECT '${COMPANY}', email, first_name, last_name, company FROM bench_floor_first_rows`);

    // Intake's own tables.
    const [storage] = rowsOf<{ reloptions: string[] | null }>(
      await execute("SELECT reloptions FROM pg_class WHERE oid = 'staging_rows'::regclass"),
    );
    const stagingOptions = storage?.reloptions?.length ? ` WITH (${storage.reloptions.join(", ")})` : "";
    await execute(`CREATE TABLE bench_floor_staging (LIKE staging_rows INCLUDING ALL)${stagingOptions}`);
    await execute("CREATE TABLE bench_floor_contacts (LIKE contacts INCLUDING ALL)");
    const intakeStaging = await timed(`INSERT INTO bench_floor_staging
      (job_id, company_id, row_number, email, first_name, last_name, company, cells, row_check, status)
      SELECT 1, '${COMPANY}', row_number() OVER () + 1, lower(email), first_name, last_name, company, NULL, 'OK', 'READY'
      FROM ${BARE_TABLE}`);
    const intakeContacts = await timed(`INSERT INTO bench_floor_contacts
      (company_id, email, first_name, last_name, company, staging_id, source_job_id, last_job_id)
      SELECT '${COMPANY}', email, first_name, last_name, company, row_number, 1, 1 FROM bench_floor_first_rows`);

    const [landed] = rowsOf<{ n: number }>(await execute("SELECT count(*)::int AS n FROM bench_floor_contacts"));
    const round = (seconds: number) => Math.round(seconds * 100) / 100;
    const ratio = (seconds: number) => Math.round((seconds / copyFloor) * 10) / 10;
    console.log(
      JSON.stringify({
        rows,
        driver: handle.kind,
        copy_floor_seconds: round(copyFloor),
        target_ratio: TARGET_RATIO,
        target_seconds: round(copyFloor * TARGET_RATIO),
        parse: {
          rows: parsedRows,
          seconds: round(parseSeconds),
          ratio: ratio(parseSeconds),
          copy_mb: Math.round(copyBytes / 1024 / 1024),
        },
        required: {
          staging_seconds: round(requiredStaging),
          contacts_seconds: round(requiredContacts),
          seconds: round(requiredStaging + requiredContacts),
          ratio: ratio(requiredStaging + requiredContacts),
        },
        intake_tables: {
          staging_seconds: round(intakeStaging),
          contacts_seconds: round(intakeContacts),
          seconds: round(intakeStaging + intakeContacts),
          ratio: ratio(intakeStaging + intakeContacts),
        },
        contacts: landed?.n,
      }),
    );
  } finally {
    await dropTables();
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
