import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db";

/** The bare table of the COPY floor: the file's four columns, no key, no index, no WAL. */
export const BARE_TABLE = "bench_copy_floor";

/**
 * The COPY floor: seconds the database takes to COPY a contacts file (with its header line) into the
 * bare table, created empty first. The table is left loaded for the caller; `dropBareTable` removes it.
 */
export async function copyIntoBareTable(
  handle: DatabaseHandle,
  file: () => Promise<NodeJS.ReadableStream>,
): Promise<number> {
  await dropBareTable(handle);
  await handle.db.execute(
    sql.raw(`CREATE UNLOGGED TABLE ${BARE_TABLE} (email text, first_name text, last_name text, company text)`),
  );
  const copy = `COPY ${BARE_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)`;
  const started = performance.now();
  if (handle.raw.kind === "postgres") {
    await pipeline(await file(), await handle.raw.sql.unsafe(copy).writable());
  } else {
    // PGlite reads COPY input from a blob only; the read is part of the time, as it is for the pipeline.
    const chunks: Buffer[] = [];
    for await (const chunk of await file()) chunks.push(Buffer.from(chunk));
    await handle.raw.client.query(copy.replace("FROM STDIN", "FROM '/dev/blob'"), [], {
      blob: new Blob(chunks.map((chunk) => new Uint8Array(chunk))),
    });
  }
  return (performance.now() - started) / 1000;
}

export async function dropBareTable(handle: DatabaseHandle): Promise<void> {
  await handle.db.execute(sql.raw(`DROP TABLE IF EXISTS ${BARE_TABLE}`));
}
