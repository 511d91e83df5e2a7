import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DatabaseHandle } from "@/db";

export type CopyValue = string | number | boolean | null | readonly string[];
type CopyRow = readonly CopyValue[];

export type CopySpec = {
  /** Table and column names are identifiers from code, never from input. */
  table: string;
  columns: readonly string[];
  /**
   * Produced lazily when it is a generator, or in batches by an async one that reads its source as it
   * goes: postgres.js then parses one piece while the next is built.
   */
  rows: Iterable<CopyRow> | AsyncIterable<Iterable<CopyRow>>;
  /** Run first in the same transaction, e.g. deleting what a crashed attempt left, so a retry never duplicates. */
  before?: { sql: string; params: (string | number)[] };
};

/**
 * Bulk-loads rows with COPY (the fastest way into Postgres): postgres.js streams `COPY … FROM STDIN`,
 * PGlite reads the same CSV from its virtual `/dev/blob`. All in one transaction.
 */
export async function copyRows(handle: DatabaseHandle, spec: CopySpec): Promise<void> {
  const statement = `COPY ${spec.table} (${spec.columns.join(", ")}) FROM STDIN WITH (FORMAT csv)`;
  const raw = handle.raw;
  if (raw.kind === "postgres") {
    await raw.sql.begin(async (tx) => {
      if (spec.before) await tx.unsafe(spec.before.sql, spec.before.params);
      const writable = await tx.unsafe(statement).writable();
      await pipeline(Readable.from(csvPieces(spec.rows)), writable);
    });
    return;
  }
  let csv = "";
  for await (const piece of csvPieces(spec.rows)) csv += piece;
  await raw.client.transaction(async (tx) => {
    if (spec.before) await tx.query(spec.before.sql, spec.before.params);
    await tx.query(statement.replace("FROM STDIN", "FROM '/dev/blob'"), [], { blob: new Blob([csv]) });
  });
}

const LINES_PER_PIECE = 500;

async function* csvPieces(rows: CopySpec["rows"]): AsyncGenerator<string> {
  if (Symbol.asyncIterator in rows) {
    for await (const batch of rows) yield* csvLines(batch);
  } else {
    yield* csvLines(rows);
  }
}

/** CSV for COPY, in pieces of a few hundred lines so the stream has something to pace. */
export function* csvLines(rows: Iterable<CopyRow>): Generator<string> {
  let piece = "";
  let count = 0;
  for (const row of rows) {
    piece += row.map(csvField).join(",") + "\n";
    if (++count === LINES_PER_PIECE) {
      yield piece;
      piece = "";
      count = 0;
    }
  }
  if (piece) yield piece;
}

// In COPY's CSV format an unquoted empty field is NULL and a quoted one is the empty string.
function csvField(value: CopyValue): string {
  if (value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return quote(value);
  return quote(`{${value.map(arrayElement).join(",")}}`);
}

// Most values hold no quote or backslash: testing first spares a copy of every one of them.
function quote(value: string): string {
  return value.includes('"') ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

// A Postgres array literal element. Plain ones go bare: a quoted element would have its quotes doubled
// again by the CSV quoting around the whole array, for every cell of every row.
function arrayElement(value: string): string {
  if (value !== "" && !ARRAY_SPECIAL.test(value) && !/^null$/i.test(value)) return value;
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

// What makes an element need quotes: array syntax, escapes, and white space (trimmed when bare).
const ARRAY_SPECIAL = /[{}",\\\s]/;
